package dev.jcontainers.linux.launch;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.jcontainers.linux.ffm.Signals;
import dev.jcontainers.linux.namespace.Namespace;
import dev.jcontainers.linux.namespace.NamespaceMode;

/**
 * What exec relies on: a second process joining every namespace of a running one, USER included, with its
 * output through {@link StdioPipes}. Joining the MNT namespace must give the container's root, and the PID
 * namespace, joined by the helper before its clone, must contain the new process.
 */
class JoinNamespacesTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final List<Namespace> ALL = List.of(Namespace.USER, Namespace.MNT, Namespace.PID, Namespace.NET,
            Namespace.IPC, Namespace.UTS, Namespace.CGROUP);

    private BusyboxRootfs fs;
    private Launcher launcher;
    private LaunchedContainer container;

    @BeforeEach
    void setUp() throws IOException {
        fs = BusyboxRootfs.create();
        launcher = fs.launcher();
    }

    @AfterEach
    void tearDown() throws IOException {
        if (container != null) {
            container.signal(Signals.SIGKILL);
            container.waitFor(WAIT);
            container.close();
        }
        assertThat(ProcessHandle.current().children().toList()).as("processes left behind").isEmpty();
        fs.close();
    }

    @Test
    void joinsAUserNamespacedContainerAndSeesItsRootAndPids() throws Exception {
        container = launcher.launch(fs.plan(Namespace.USER, Namespace.PID, Namespace.NET, Namespace.IPC, Namespace.UTS,
                        Namespace.CGROUP)
                .uidMapping(0, 100000, 65536).gidMapping(0, 100000, 65536).user(0, 0, List.of())
                .hostname("joined").command("sleep", "1000").build(), SyncHook.NONE);
        Path ns = Path.of("/proc", Long.toString(container.pid()), "ns");
        LaunchPlan.Builder exec = LaunchPlan.builder();
        for (Namespace type : ALL) {
            exec.namespace(type, NamespaceMode.join(ns.resolve(type.procName())));
        }
        exec.env(BusyboxRootfs.ENV).user(0, 0, List.of()).cwd("/")
                .command("sh", "-c", "hostname; echo $$; cat /proc/1/cmdline; echo; ls /; cat /proc/self/uid_map; id -u;"
                        + " cat -; echo oops >&2")
                .stdio(new LaunchPlan.Stdio(LaunchPlan.StreamMode.INHERIT, LaunchPlan.StreamMode.INHERIT,
                        LaunchPlan.StreamMode.INHERIT));

        String stdout;
        String stderr;
        int exitCode;
        try (StdioPipes pipes = StdioPipes.open("from stdin\n".getBytes(StandardCharsets.UTF_8));
             LaunchedContainer p = launcher.launch(exec.build(), SyncHook.NONE, pipes.stdinFd(), pipes.stdoutFd(),
                     pipes.stderrFd())) {
            pipes.closeChildEnds();
            assertThat(pipes.pump(() -> p.exitStatus().isPresent(), System.nanoTime() + WAIT.toNanos())).isTrue();
            exitCode = p.waitFor().exitCode();
            stdout = new String(pipes.stdout(), StandardCharsets.UTF_8);
            stderr = new String(pipes.stderr(), StandardCharsets.UTF_8);
        }
        assertThat(exitCode).isZero();
        assertThat(stderr).isEqualTo("oops\n");
        List<String> lines = stdout.lines().toList();
        assertThat(lines.get(0)).isEqualTo("joined");
        assertThat(Integer.parseInt(lines.get(1))).isGreaterThan(1).isLessThan(10);
        assertThat(lines.get(2)).isEqualTo("sleep\0" + "1000\0");
        // the container's root, not the host's
        assertThat(lines).contains("bin", "proc", "tmp").doesNotContain("usr", "var");
        assertThat(lines).anySatisfy(l -> assertThat(l.trim().split("\\s+")).containsExactly("0", "100000", "65536"));
        assertThat(lines.subList(lines.size() - 2, lines.size())).containsExactly("0", "from stdin");
    }
}
