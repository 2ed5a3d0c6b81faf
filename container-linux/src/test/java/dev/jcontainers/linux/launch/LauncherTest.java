package dev.jcontainers.linux.launch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.jcontainers.linux.ffm.Signals;
import dev.jcontainers.linux.launch.LaunchPlan.LogConfig;
import dev.jcontainers.linux.namespace.Namespace;

/** Real launches as root on this kernel, into a busybox rootfs. */
class LauncherTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(10);

    private BusyboxRootfs fs;
    private Launcher launcher;
    private final StartedContainers started = new StartedContainers();

    @BeforeEach
    void setUp() throws IOException {
        fs = BusyboxRootfs.create();
        launcher = fs.launcher();
    }

    @AfterEach
    void tearDown() throws IOException {
        started.killAll(WAIT);
        assertThat(ProcessHandle.current().children().toList()).as("processes left behind").isEmpty();
        if (fs != null) {
            fs.close();
        }
    }

    private LaunchedContainer launch(LaunchPlan plan, SyncHook hook) {
        return started.add(launcher.launch(plan, hook));
    }

    private LaunchedContainer launch(LaunchPlan plan) {
        return launch(plan, SyncHook.NONE);
    }

    private List<JsonNode> logLines() throws IOException {
        List<JsonNode> lines = new ArrayList<>();
        for (String line : Files.readAllLines(fs.log())) {
            lines.add(JSON.readTree(line));
        }
        return lines;
    }

    @Test
    void runsAsPidOneInItsOwnNamespacesAndLogsLikeDocker() throws Exception {
        AtomicLong hookPid = new AtomicLong();
        LaunchedContainer c = launch(fs.plan(Namespace.PID, Namespace.UTS, Namespace.IPC, Namespace.NET, Namespace.CGROUP)
                .hostname("jc-test")
                .command("sh", "-c", "echo $$; hostname; cat /proc/self/status | grep NSpid; echo oops >&2")
                .build(), hookPid::set);

        ExitStatus exit = c.waitFor(WAIT).orElseThrow();

        assertThat(exit.exitCode()).isZero();
        assertThat(exit.signal()).isZero();
        assertThat(hookPid.get()).isEqualTo(c.pid());
        List<JsonNode> lines = logLines();
        List<String> stdout = lines.stream().filter(l -> l.get("stream").asText().equals("stdout"))
                .map(l -> l.get("log").asText()).toList();
        assertThat(stdout).hasSize(3);
        assertThat(stdout.get(0)).isEqualTo("1\n");
        assertThat(stdout.get(1)).isEqualTo("jc-test\n");
        // the container's /proc belongs to its own pid namespace: one level, its own pid only
        assertThat(stdout.get(2)).matches("NSpid:\\t\\d+\n");
        assertThat(c.pid()).isNotEqualTo(1);
        assertThat(lines).anySatisfy(l -> {
            assertThat(l.get("stream").asText()).isEqualTo("stderr");
            assertThat(l.get("log").asText()).isEqualTo("oops\n");
        });
        for (JsonNode l : lines) {
            assertThat(l.fieldNames()).toIterable().containsExactly("log", "stream", "time");
            assertThat(Instant.parse(l.get("time").asText())).isBetween(Instant.now().minusSeconds(60), Instant.now());
        }
        assertThat(LaunchedContainer.readExitFile(fs.stateDir)).contains(exit);
    }

    @Test
    void recordsTheExitCode() throws Exception {
        LaunchedContainer c = launch(fs.plan(Namespace.PID).command("sh", "-c", "exit 3").build());

        assertThat(c.waitFor(WAIT).orElseThrow().exitCode()).isEqualTo(3);
        assertThat(LaunchedContainer.readExitFile(fs.stateDir).orElseThrow().exitCode()).isEqualTo(3);
        assertThat(Files.readString(fs.stateDir.resolve(LaunchedContainer.EXIT_FILE))).contains("\"exitCode\":3");
    }

    @Test
    void aFailingExecveIsReportedAndLeavesNothingRunning() {
        assertThatThrownBy(() -> launch(fs.plan(Namespace.PID).command("/nonexistent").build()))
                .isInstanceOf(LaunchException.class)
                .hasMessage("execve(/nonexistent): No such file or directory")
                .extracting(e -> ((LaunchException) e).errno()).isEqualTo(2);
        assertThat(ProcessHandle.current().children().toList()).isEmpty();
        assertThat(ProcessHandle.allProcesses()
                .filter(p -> p.info().command().map(cmd -> cmd.startsWith(fs.cache.toString())).orElse(false))
                .toList()).isEmpty();
    }

    @Test
    void aFailingMountNamesTheStep() {
        LaunchPlan plan = LaunchPlan.builder().privateNamespaces(Namespace.MNT)
                .mount(MountOp.pivotRoot(fs.rootfs.toString())) // not a mount point: pivot_root refuses
                .command("/bin/true").build();

        assertThatThrownBy(() -> launch(plan)).isInstanceOf(LaunchException.class)
                .hasMessageStartingWith("pivot_root(" + fs.rootfs + "): ")
                .extracting(e -> ((LaunchException) e).errno()).isNotEqualTo(0);
    }

    @Test
    void aThrowingHookAbortsTheLaunch() {
        AtomicLong pid = new AtomicLong();
        assertThatThrownBy(() -> launch(fs.plan(Namespace.PID).command("sleep", "100").build(), p -> {
            pid.set(p);
            throw new IllegalStateException("no cgroup for you");
        })).hasMessage("no cgroup for you");
        assertThat(pid.get()).isPositive();
        assertThat(ProcessHandle.of(pid.get())).isEmpty();
        assertThat(ProcessHandle.current().children().toList()).isEmpty();
    }

    @Test
    void sigtermGives143() {
        // not in a PID namespace: as its pid 1, sleep would ignore SIGTERM (the kernel protects namespace inits)
        LaunchedContainer c = launch(fs.plan().command("sleep", "1000").build());
        assertThat(c.waitFor(Duration.ofMillis(100))).isEmpty();

        c.signal(Signals.SIGTERM);

        ExitStatus exit = c.waitFor(WAIT).orElseThrow();
        assertThat(exit.exitCode()).isEqualTo(143);
        assertThat(exit.signal()).isEqualTo(Signals.SIGTERM);
        assertThat(LaunchedContainer.readExitFile(fs.stateDir)).contains(exit);
    }

    @Test
    void userNamespaceMapsRootToAnUnprivilegedHostUid() throws Exception {
        LaunchedContainer c = launch(fs.plan(Namespace.USER, Namespace.PID, Namespace.IPC, Namespace.NET, Namespace.UTS)
                .uidMapping(0, 100000, 65536)
                .gidMapping(0, 100000, 65536)
                .user(0, 0, List.of())
                .command("sh", "-c", "id -u; id -g; exec sleep 1000")
                .build());

        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!(Files.exists(fs.log()) && logLines().size() >= 2) && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(logLines()).extracting(l -> l.get("log").asText()).containsExactly("0\n", "0\n");
        String status = Files.readString(Path.of("/proc", Long.toString(c.pid()), "status"));
        assertThat(status).containsPattern("(?m)^Uid:\\s+100000\\s+100000\\s+100000\\s+100000$");
        assertThat(status).containsPattern("(?m)^Gid:\\s+100000\\s");

        c.signal(Signals.SIGKILL);
        assertThat(c.waitFor(WAIT).orElseThrow().exitCode()).isEqualTo(137);
    }

    @Test
    void partialLastLinesAreLoggedAndLogsRotate() throws Exception {
        LaunchedContainer c = launch(fs.plan().log(new LogConfig(fs.log(), 2000, 3))
                .command("sh", "-c", "i=0; while [ $i -lt 100 ]; do echo \"line $i <&>\"; i=$((i+1)); done; echo -n tail")
                .build());

        assertThat(c.waitFor(WAIT).orElseThrow().exitCode()).isZero();
        List<JsonNode> current = logLines();
        assertThat(current.getLast().get("log").asText()).isEqualTo("tail");
        assertThat(JSON.readTree(Files.readAllLines(Path.of(fs.log() + ".1")).getFirst()).get("log").asText())
                .matches("line \\d+ <&>\n");
        assertThat(Files.readString(Path.of(fs.log() + ".1"))).contains("\\u003c\\u0026\\u003e");
        assertThat(Files.size(fs.log())).isLessThanOrEqualTo(2000);
        assertThat(Path.of(fs.log() + ".1")).exists();
        assertThat(Path.of(fs.log() + ".2")).exists();
        assertThat(Path.of(fs.log() + ".3")).doesNotExist();
        assertThat(Files.readAllLines(Path.of(fs.log() + ".1")).getLast()).contains("line ");
    }

    @Test
    void concurrentLaunchesFromManyThreads() throws Exception {
        int n = 8;
        List<java.util.concurrent.Future<Integer>> exits = new ArrayList<>();
        try (var pool = java.util.concurrent.Executors.newFixedThreadPool(n)) {
            for (int i = 0; i < n; i++) {
                Path state = Files.createDirectories(fs.base.resolve("state-" + i));
                LaunchPlan plan = fs.plan(Namespace.PID, Namespace.UTS).stateDir(state)
                        .log(LogConfig.unbounded(state.resolve("container.log")))
                        .command("sh", "-c", "exit " + (10 + i)).build();
                exits.add(pool.submit(() -> {
                    try (LaunchedContainer c = launcher.launch(plan, SyncHook.NONE)) {
                        return c.waitFor(WAIT).orElseThrow().exitCode();
                    }
                }));
            }
            for (int i = 0; i < n; i++) {
                assertThat(exits.get(i).get()).isEqualTo(10 + i);
                assertThat(LaunchedContainer.readExitFile(fs.base.resolve("state-" + i)).orElseThrow().exitCode())
                        .isEqualTo(10 + i);
            }
        }
    }

    private static long openFds() throws IOException {
        try (var fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        }
    }

    @Test
    void startToExitOfTrue() throws IOException {
        LaunchPlan plan = fs.plan(Namespace.PID, Namespace.UTS, Namespace.IPC, Namespace.NET, Namespace.CGROUP)
                .stdio(LaunchPlan.Stdio.NONE).command("/bin/true").build();
        for (int i = 0; i < 5; i++) { // warm up
            try (LaunchedContainer c = launcher.launch(plan, SyncHook.NONE)) {
                c.waitFor(WAIT).orElseThrow();
            }
        }
        long fdsBefore = openFds();
        long[] nanos = new long[50];
        for (int i = 0; i < nanos.length; i++) {
            long t0 = System.nanoTime();
            try (LaunchedContainer c = launcher.launch(plan, SyncHook.NONE)) {
                assertThat(c.waitFor(WAIT).orElseThrow().exitCode()).isZero();
            }
            nanos[i] = System.nanoTime() - t0;
        }
        assertThat(openFds()).as("descriptors leaked by 50 launches").isEqualTo(fdsBefore);
        java.util.Arrays.sort(nanos);
        System.out.printf("[launch] /bin/true start-to-exit over %d runs: median %.2f ms, p90 %.2f ms, max %.2f ms%n",
                nanos.length, nanos[25] / 1e6, nanos[44] / 1e6, nanos[49] / 1e6);
        assertThat(nanos[25]).isLessThan(Duration.ofMillis(500).toNanos());
    }
}
