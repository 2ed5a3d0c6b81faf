package dev.jcontainers.linux.cgroup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.jcontainers.testkit.Requirements;

/**
 * Real cgroups on this host, whichever version it runs. Everything lives under a parent named
 * {@code jcontainers-test-<random>} that is removed afterwards, also when a test fails.
 */
class CgroupHostTest {

    private static final long MIB = 1 << 20;

    private final String parent = "jcontainers-test-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
    private final List<CgroupManager> made = new CopyOnWriteArrayList<>();
    private final List<Process> processes = new CopyOnWriteArrayList<>();
    private Cgroups cgroups;

    @BeforeEach
    void setUp() {
        Requirements.requireRoot();
        cgroups = Cgroups.detect();
    }

    @AfterEach
    void cleanUp() throws Exception {
        for (Process p : processes) {
            p.destroyForcibly();
            p.waitFor(5, TimeUnit.SECONDS);
        }
        List<Throwable> failures = new ArrayList<>();
        for (CgroupManager cgroup : made) {
            try {
                cgroup.killAll();
                cgroup.destroy();
            } catch (RuntimeException e) {
                failures.add(e);
            }
        }
        if (cgroups != null) {
            cgroups.removeParent(parent);
            assertThat(roots()).allSatisfy(root -> assertThat(root.resolve(parent)).doesNotExist());
        }
        assertThat(failures).isEmpty();
    }

    private Collection<Path> roots() {
        return cgroups.version() == CgroupVersion.V2 ? List.of(cgroups.layout().unified().orElseThrow())
                : CgroupV1Manager.usedMounts(cgroups.layout());
    }

    private CgroupManager create(String name, CgroupLimits limits) {
        CgroupManager cgroup = cgroups.create(parent, name, limits);
        made.add(cgroup);
        return cgroup;
    }

    /** A shell that waits for a line on stdin before running {@code script}, so it can be placed first. */
    private Process shell(String script) throws IOException {
        Process p = new ProcessBuilder("/bin/sh", "-c", "read go; " + script)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectErrorStream(true).start();
        processes.add(p);
        return p;
    }

    private static void go(Process p) throws IOException {
        OutputStream in = p.getOutputStream();
        in.write("go\n".getBytes(StandardCharsets.US_ASCII));
        in.flush();
    }

    private static String read(Path file) throws IOException {
        return Files.readString(file).strip();
    }

    private static String firstBlockDevice() throws IOException {
        try (Stream<Path> devices = Files.list(Path.of("/sys/block"))) {
            Path device = devices.sorted().findFirst().orElse(null);
            Requirements.require(device != null, "no block device to throttle");
            return read(device.resolve("dev"));
        }
    }

    @Test
    void limitsAreWrittenAndReadBack() throws IOException {
        String[] device = firstBlockDevice().split(":");
        DeviceRate readBps = new DeviceRate(Long.parseLong(device[0]), Long.parseLong(device[1]), MIB);
        CgroupLimits.Builder limits = CgroupLimits.builder().memory(64 * MIB).memoryReservation(32 * MIB)
                .cpus(0.5).cpuShares(512).cpusetCpus("0").cpusetMems("0").pidsLimit(100).deviceReadBps(readBps);
        boolean swapAccounted = cgroups.version() == CgroupVersion.V1
                ? Files.exists(cgroups.layout().v1Controllers().get("memory").resolve("memory.memsw.limit_in_bytes"))
                : true;
        if (swapAccounted) {
            limits.memorySwap(128 * MIB);
        }
        CgroupManager cgroup = create("limits", limits.build());

        if (cgroup.version() == CgroupVersion.V1) {
            Path memory = cgroup.path("memory");
            assertThat(read(memory.resolve("memory.limit_in_bytes"))).isEqualTo(Long.toString(64 * MIB));
            assertThat(read(memory.resolve("memory.soft_limit_in_bytes"))).isEqualTo(Long.toString(32 * MIB));
            assertThat(read(cgroup.path("cpu").resolve("cpu.cfs_quota_us"))).isEqualTo("50000");
            assertThat(read(cgroup.path("cpu").resolve("cpu.cfs_period_us"))).isEqualTo("100000");
            assertThat(read(cgroup.path("cpu").resolve("cpu.shares"))).isEqualTo("512");
            assertThat(read(cgroup.path("cpuset").resolve("cpuset.cpus"))).isEqualTo("0");
            assertThat(read(cgroup.path("cpuset").resolve("cpuset.mems"))).isEqualTo("0");
            assertThat(read(cgroup.path("pids").resolve("pids.max"))).isEqualTo("100");
            assertThat(read(cgroup.path("blkio").resolve("blkio.throttle.read_bps_device")))
                    .isEqualTo(readBps.device() + " " + MIB);
            if (swapAccounted) {
                assertThat(read(memory.resolve("memory.memsw.limit_in_bytes"))).isEqualTo(Long.toString(128 * MIB));
                // growing memsw must be written before the memory limit, shrinking after it: the kernel
                // refuses any moment where memsw < memory
                cgroup.update(CgroupLimits.builder().memory(256 * MIB).memorySwap(512 * MIB).build());
                assertThat(read(memory.resolve("memory.memsw.limit_in_bytes"))).isEqualTo(Long.toString(512 * MIB));
                cgroup.update(CgroupLimits.builder().memory(16 * MIB).memorySwap(32 * MIB).build());
                assertThat(read(memory.resolve("memory.limit_in_bytes"))).isEqualTo(Long.toString(16 * MIB));
                assertThat(read(memory.resolve("memory.memsw.limit_in_bytes"))).isEqualTo(Long.toString(32 * MIB));
                cgroup.update(CgroupLimits.builder().memory(CgroupLimits.UNLIMITED).build());
                assertThat(ControlFiles.parseLimit(read(memory.resolve("memory.memsw.limit_in_bytes")))).isEqualTo(-1);
            }
        } else {
            Path dir = cgroup.path("memory");
            assertThat(read(dir.resolve("memory.max"))).isEqualTo(Long.toString(64 * MIB));
            assertThat(read(dir.resolve("memory.low"))).isEqualTo(Long.toString(32 * MIB));
            assertThat(read(dir.resolve("cpu.max"))).isEqualTo("50000 100000");
            assertThat(read(dir.resolve("cpu.weight"))).isEqualTo(Long.toString(CgroupV2Manager.sharesToWeight(512)));
            assertThat(read(dir.resolve("cpuset.cpus"))).isEqualTo("0");
            assertThat(read(dir.resolve("pids.max"))).isEqualTo("100");
            assertThat(read(dir.resolve("io.max"))).startsWith(readBps.device() + " rbps=" + MIB);
        }
        cgroup.update(CgroupLimits.builder().pidsLimit(CgroupLimits.UNLIMITED).build());
        assertThat(read(cgroup.path("pids").resolve("pids.max"))).isEqualTo("max");
        // on v1 with swap accounting the memory limit was lifted above; otherwise it is still 64 MiB
        boolean lifted = cgroup.version() == CgroupVersion.V1 && swapAccounted;
        assertThat(cgroup.stats().memoryLimit()).isEqualTo(lifted ? -1 : 64 * MIB);
        assertThatThrownBy(() -> create("limits", CgroupLimits.none())).isInstanceOf(CgroupException.class);
    }

    @Test
    void aProcessJoinsIsKilledAndTheCgroupLeavesNoDirectory() throws Exception {
        CgroupManager cgroup = create("join", CgroupLimits.builder().memory(64 * MIB).build());
        Process sleeper = shell("exec sleep 30");
        cgroup.addProcess(sleeper.pid());

        assertThat(cgroup.processes()).containsExactly(sleeper.pid());
        String membership = Files.readString(Path.of("/proc", Long.toString(sleeper.pid()), "cgroup"));
        assertThat(membership).contains(":/" + cgroup.relativePath() + "\n");
        assertThat(cgroups.open(parent, "join").processes()).containsExactly(sleeper.pid());
        assertThat(cgroup.stats().pidsCurrent()).isEqualTo(1);

        cgroup.killAll();
        assertThat(sleeper.waitFor(5, TimeUnit.SECONDS)).isTrue();
        assertThat(sleeper.exitValue()).isEqualTo(137);
        assertThat(cgroup.processes()).isEmpty();

        cgroup.destroy();
        cgroup.destroy(); // idempotent
        assertThat(cgroup.exists()).isFalse();
        for (Path root : roots()) {
            assertThat(root.resolve(cgroup.relativePath())).doesNotExist();
        }
    }

    @Test
    void memoryLimitOomKillsAHundredMebibyteAllocation() throws Exception {
        CgroupLimits.Builder limits = CgroupLimits.builder().memory(32 * MIB);
        if (cgroups.version() == CgroupVersion.V2 || Files.exists(
                cgroups.layout().v1Controllers().get("memory").resolve("memory.memsw.limit_in_bytes"))) {
            limits.memorySwap(32 * MIB); // no swap either, so the allocation cannot escape to it
        }
        CgroupManager cgroup = create("oom", limits.build());
        // tail keeps a "line" in memory until it sees a newline, and /dev/zero has none
        Process hog = shell("head -c 100M /dev/zero | tail > /dev/null");
        cgroup.addProcess(hog.pid());
        assertThat(cgroup.oomKilled()).isFalse();
        long start = System.nanoTime();
        go(hog);

        assertThat(hog.waitFor(20, TimeUnit.SECONDS)).isTrue();
        CgroupStats stats = cgroup.stats();
        System.out.printf("[cgroup] oom: exit %d after %d ms, %s%n", hog.exitValue(),
                (System.nanoTime() - start) / 1_000_000, stats);
        assertThat(hog.exitValue()).isEqualTo(137);
        assertThat(cgroup.oomKilled()).isTrue();
        assertThat(stats.oomKills()).isGreaterThanOrEqualTo(1);
        assertThat(stats.memoryLimit()).isEqualTo(32 * MIB);
        assertThat(stats.memoryPeak()).isBetween(16 * MIB, 32 * MIB);
    }

    @Test
    void pidsLimitStopsAForkLoopAndKillAllEndsIt() throws Exception {
        CgroupManager cgroup = create("pids", CgroupLimits.builder().pidsLimit(16).build());
        // Shells die on their first refused fork, so the loop is perl's, which keeps forking sleepers
        // and retrying refused forks until killAll.
        Requirements.requireTool("perl");
        Process bomb = shell("exec perl -e 'while (1) { my $p = fork(); if (defined $p && $p == 0) { sleep 30; exit 0 } }'");
        cgroup.addProcess(bomb.pid());
        assertThat(read(cgroup.path("pids").resolve("pids.max"))).isEqualTo("16"); // never release an unbounded bomb
        go(bomb);

        Path events = cgroup.path("pids").resolve("pids.events");
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        long maxSeen = 0;
        while (System.nanoTime() < deadline) {
            maxSeen = Math.max(maxSeen, cgroup.stats().pidsCurrent());
            if (read(events).equals("max 0")) {
                Thread.sleep(5);
            } else {
                break;
            }
        }
        Thread.sleep(200); // let the loop keep hammering the limit
        int inCgroup = cgroup.processes().size();
        maxSeen = Math.max(maxSeen, cgroup.stats().pidsCurrent());
        System.out.printf("[cgroup] pids: %s, %d processes in the cgroup, max pids.current seen %d%n",
                read(events), inCgroup, maxSeen);
        assertThat(read(events)).isNotEqualTo("max 0"); // forks were refused
        assertThat(maxSeen).isLessThanOrEqualTo(16);
        assertThat(inCgroup).isEqualTo(16);

        long killStart = System.nanoTime();
        cgroup.killAll();
        System.out.printf("[cgroup] killAll of the bomb took %d ms%n", (System.nanoTime() - killStart) / 1_000_000);
        assertThat(cgroup.processes()).isEmpty();
        assertThat(bomb.waitFor(5, TimeUnit.SECONDS)).isTrue();
        // the host still forks
        assertThat(new ProcessBuilder("/bin/true").start().waitFor()).isZero();
    }

    @Test
    void halfACpuQuotaKeepsABusyLoopAtHalfOfWallTime() throws Exception {
        CgroupManager cgroup = create("cpu", CgroupLimits.builder().cpus(0.5).build());
        Process spinner = shell("while :; do :; done");
        cgroup.addProcess(spinner.pid());
        go(spinner);
        Thread.sleep(300);

        long cpu0 = cgroup.stats().cpuUsageNanos();
        long wall0 = System.nanoTime();
        Thread.sleep(2000);
        long cpu1 = cgroup.stats().cpuUsageNanos();
        long wall1 = System.nanoTime();
        double ratio = (double) (cpu1 - cpu0) / (wall1 - wall0);
        System.out.printf("[cgroup] cpus=0.5: busy loop used %.3f of wall time over %d ms%n", ratio,
                (wall1 - wall0) / 1_000_000);
        assertThat(ratio).isLessThanOrEqualTo(0.55).isGreaterThan(0.05);
    }

    @Test
    void twentyConcurrentCreateDestroyCyclesLeakNothing() throws Exception {
        CgroupLimits limits = CgroupLimits.builder().memory(64 * MIB).pidsLimit(32).cpus(1).build();
        long start = System.nanoTime();
        try (ExecutorService pool = Executors.newFixedThreadPool(20)) {
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                String name = "c" + i;
                done.add(pool.submit(() -> {
                    CgroupManager cgroup = cgroups.create(parent, name, limits);
                    try {
                        assertThat(cgroup.stats().pidsCurrent()).isZero();
                    } finally {
                        cgroup.destroy();
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(30, TimeUnit.SECONDS);
            }
        }
        System.out.printf("[cgroup] 20 concurrent create/destroy in %d ms%n", (System.nanoTime() - start) / 1_000_000);
        for (Path root : roots()) {
            try (Stream<Path> left = Files.list(root.resolve(parent))) {
                assertThat(left.filter(Files::isDirectory)).as("cgroups left in " + root).isEmpty();
            }
        }
        assertThat(cgroups.removeParent(parent)).isTrue();
    }
}
