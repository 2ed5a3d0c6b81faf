package dev.jcontainers.linux.launch;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.jcontainers.linux.launch.LaunchPlan.Capabilities;
import dev.jcontainers.linux.launch.LaunchPlan.Rlimit;
import dev.jcontainers.linux.launch.LaunchPlan.Stdio;
import dev.jcontainers.linux.launch.LaunchPlan.StreamMode;
import dev.jcontainers.linux.namespace.Namespace;
import dev.jcontainers.linux.namespace.NamespaceMode;
import dev.jcontainers.testkit.Requirements;

/** The rest of the plan, observed from inside real containers: credentials, limits, seccomp, joins, time, cgroups. */
class LaunchFeaturesTest {
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
        fs.close();
    }

    private LaunchedContainer launch(LaunchPlan plan) {
        return started.add(launcher.launch(plan, SyncHook.NONE));
    }

    /** Runs the plan to its end and returns its stdout as logged. */
    private String run(LaunchPlan plan) throws IOException {
        ExitStatus exit = launch(plan).waitFor(WAIT).orElseThrow();
        String out = stdout();
        assertThat(exit.exitCode()).as(out).isZero();
        return out;
    }

    private String stdout() throws IOException {
        StringBuilder sb = new StringBuilder();
        for (String line : Files.readAllLines(fs.log())) {
            var node = JSON.readTree(line);
            if (node.get("stream").asText().equals("stdout")) {
                sb.append(node.get("log").asText());
            }
        }
        return sb.toString();
    }

    @Test
    void credentialsCapabilitiesLimitsAndCwd() throws IOException {
        long kept = (1L << 0) | (1L << 5); // CAP_CHOWN, CAP_KILL
        String out = run(fs.plan(Namespace.PID)
                .user(1000, 1000, List.of(10L, 20L))
                .capabilities(new Capabilities(kept, kept, kept, kept, kept))
                .noNewPrivileges(true)
                .rlimit(Rlimit.RLIMIT_NOFILE, 100, 200)
                .cwd("/tmp")
                .command("sh", "-c", "pwd; grep -E '^(Uid|Gid|Groups|CapInh|CapPrm|CapEff|CapBnd|CapAmb|NoNewPrivs):'"
                        + " /proc/self/status; grep 'open files' /proc/self/limits")
                .build());

        assertThat(out).startsWith("/tmp\n");
        assertThat(out).containsPattern("Uid:\\s+1000\\s+1000\\s+1000\\s+1000\n")
                .containsPattern("Gid:\\s+1000\\s+1000\\s+1000\\s+1000\n")
                .containsPattern("Groups:\\s+10 20\\s*\n")
                .contains("CapBnd:\t0000000000000021\n")
                .contains("CapEff:\t0000000000000021\n")
                .contains("CapAmb:\t0000000000000021\n")
                .contains("NoNewPrivs:\t1\n")
                .containsPattern("Max open files\\s+100\\s+200\\s+files");
    }

    @Test
    void seccompFilterDeniesASyscall() throws IOException {
        int sethostname = 170;
        String out = run(fs.plan(Namespace.UTS)
                .seccomp(bpf(
                        insn(0x20, 0, 0, 4),                 // A = seccomp_data.arch
                        insn(0x15, 0, 3, 0xc000003e),        // not x86_64: allow
                        insn(0x20, 0, 0, 0),                 // A = seccomp_data.nr
                        insn(0x15, 0, 1, sethostname),
                        insn(0x06, 0, 0, 0x00050000 | 1),    // SECCOMP_RET_ERRNO | EPERM
                        insn(0x06, 0, 0, 0x7fff0000)))       // SECCOMP_RET_ALLOW
                .command("sh", "-c", "hostname blocked 2>/dev/null; echo rc=$?; grep Seccomp: /proc/self/status")
                .build());

        assertThat(out).contains("rc=1\n").contains("Seccomp:\t2\n");
    }

    private static long[] insn(int code, int jt, int jf, long k) {
        return new long[] {code, jt, jf, k};
    }

    private static byte[] bpf(long[]... program) {
        ByteBuffer b = ByteBuffer.allocate(program.length * 8).order(ByteOrder.nativeOrder());
        for (long[] i : program) {
            b.putShort((short) i[0]).put((byte) i[1]).put((byte) i[2]).putInt((int) i[3]);
        }
        return b.array();
    }

    @Test
    void joinsAnotherContainersNamespaces() throws IOException {
        LaunchedContainer first = launch(fs.plan(Namespace.UTS, Namespace.NET).hostname("alpha")
                .stdio(Stdio.NONE).command("sleep", "1000").build());
        Path proc = Path.of("/proc", Long.toString(first.pid()), "ns");

        String out = run(fs.plan()
                .namespace(Namespace.UTS, NamespaceMode.join(proc.resolve("uts")))
                .namespace(Namespace.NET, NamespaceMode.join(proc.resolve("net")))
                .command("sh", "-c", "hostname; readlink /proc/self/ns/net")
                .build());

        assertThat(out).startsWith("alpha\n");
        assertThat(out).endsWith(Files.readSymbolicLink(proc.resolve("net")) + "\n");
    }

    @Test
    void bringsLoopbackUpInItsOwnNetworkNamespace() throws IOException {
        String flags = "cat /sys/class/net/lo/flags";
        assertThat(run(fs.plan(Namespace.NET).command("sh", "-c", flags).build())).isEqualTo("0x8\n"); // IFF_LOOPBACK
        Files.delete(fs.log());
        assertThat(run(fs.plan(Namespace.NET).loopbackUp(true).command("sh", "-c", flags).build()))
                .isEqualTo("0x9\n"); // and IFF_UP
    }

    @Test
    void timeNamespaceOffsetsTheBootClock() throws IOException {
        Requirements.require(Files.exists(Path.of("/proc/self/ns/time")), "kernel without time namespaces");
        Duration tenDays = Duration.ofDays(10);
        String out = run(fs.plan(Namespace.PID, Namespace.TIME).timeOffsets(Duration.ZERO, tenDays)
                .command("cat", "/proc/uptime").build());

        double uptime = Double.parseDouble(out.split("\\s+")[0]);
        double hostUptime = Double.parseDouble(Files.readString(Path.of("/proc/uptime")).split("\\s+")[0]);
        assertThat(uptime).isBetween(hostUptime + tenDays.toSeconds() - 60, hostUptime + tenDays.toSeconds() + 60);
    }

    @Test
    void startsInsideTheGivenCgroupV2Directory() throws Exception {
        Optional<Path> v2 = Files.readAllLines(Path.of("/proc/self/mountinfo")).stream()
                .filter(l -> l.contains(" - cgroup2 ")).map(l -> Path.of(l.split(" ")[4])).findFirst();
        Requirements.require(v2.isPresent(), "no cgroup v2 hierarchy mounted");
        Path cgroup = v2.get().resolve("jc-launch-test-" + ProcessHandle.current().pid());
        Files.createDirectory(cgroup);
        try {
            String out = run(fs.plan().cgroup(cgroup).command("cat", "/proc/self/cgroup").build());
            assertThat(out.lines().collect(Collectors.toList())).contains("0::/" + cgroup.getFileName());
        } finally {
            Files.delete(cgroup);
        }
    }

    @Test
    void inheritedAndTeedStreamsReachTheCallersDescriptor() throws Throwable {
        try (TestPipe pipe = new TestPipe()) {
            LaunchPlan plan = fs.plan().stdio(new Stdio(StreamMode.NULL, StreamMode.INHERIT, StreamMode.LOG_AND_INHERIT))
                    .command("sh", "-c", "echo to-stdout; echo to-stderr >&2").build();
            LaunchedContainer c = launcher.launch(plan, SyncHook.NONE, 0, pipe.writeFd(), pipe.writeFd());
            started.add(c);
            pipe.closeWriteEnd();
            assertThat(c.waitFor(WAIT).orElseThrow().exitCode()).isZero();
            c.close();

            assertThat(pipe.readAll()).contains("to-stdout\n").contains("to-stderr\n");
            assertThat(Files.readString(fs.log())).contains("\"log\":\"to-stderr\\n\",\"stream\":\"stderr\"")
                    .doesNotContain("to-stdout");
        }
    }

    @Test
    void theMonitorIsSmall() throws IOException {
        LaunchedContainer c = launch(fs.plan(Namespace.PID).command("sleep", "1000").build());
        String status = Files.readString(Path.of("/proc", Long.toString(c.monitorPid()), "status"));
        long rssKb = Long.parseLong(status.lines().filter(l -> l.startsWith("VmRSS:")).findFirst().orElseThrow()
                .replaceAll("\\D", ""));
        System.out.println("[launch] monitor RSS " + rssKb + " KiB");
        assertThat(rssKb).isLessThan(2048);
    }
}
