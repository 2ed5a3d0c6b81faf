package dev.jcontainers.linux.launch;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.jcontainers.linux.cgroup.CgroupLimits;
import dev.jcontainers.linux.cgroup.CgroupManager;
import dev.jcontainers.linux.cgroup.CgroupVersion;
import dev.jcontainers.linux.cgroup.Cgroups;
import dev.jcontainers.linux.ffm.Signals;
import dev.jcontainers.linux.launch.LaunchPlan.Lifetime;
import dev.jcontainers.linux.launch.LaunchPlan.Restart;
import dev.jcontainers.linux.namespace.Namespace;

/** Restart policies carried out by the monitor alone: real containers, real exits. */
class RestartTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(20);

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
        RestartRecord.requestStop(fs.stateDir);
        started.killAll(WAIT);
        fs.close();
    }

    private LaunchedContainer launch(LaunchPlan plan, SyncHook hook) {
        return started.add(launcher.launch(plan, hook));
    }

    private List<String> stdout() throws IOException {
        List<String> lines = new ArrayList<>();
        for (String line : Files.readAllLines(fs.log())) {
            var node = JSON.readTree(line);
            if (node.get("stream").asText().equals("stdout")) {
                lines.add(node.get("log").asText().strip());
            }
        }
        return lines;
    }

    private int recordedRestarts() throws IOException {
        return JSON.readTree(fs.stateDir.resolve(LaunchedContainer.EXIT_FILE).toFile()).get("restartCount").asInt();
    }

    @Test
    void onFailureRestartsUpToItsLimitAndReportsOnlyTheLastExit() throws IOException {
        LaunchedContainer c = launch(fs.plan(Namespace.PID).command("sh", "-c", "echo run; exit 3")
                .restart(new Restart(Restart.Policy.ON_FAILURE, 2, List.of())).build(), SyncHook.NONE);

        assertThat(c.waitFor(WAIT).orElseThrow().exitCode()).isEqualTo(3);
        assertThat(stdout()).containsExactly("run", "run", "run");
        assertThat(recordedRestarts()).isEqualTo(2);
        assertThat(RestartRecord.read(fs.stateDir)).contains(new RestartRecord(2, recordedPid()));
    }

    @Test
    void onFailureDoesNotRestartASuccessfulExit() throws IOException {
        LaunchedContainer c = launch(fs.plan(Namespace.PID).command("sh", "-c", "echo run")
                .restart(new Restart(Restart.Policy.ON_FAILURE, 0, List.of())).build(), SyncHook.NONE);

        assertThat(c.waitFor(WAIT).orElseThrow().exitCode()).isZero();
        assertThat(stdout()).containsExactly("run");
        assertThat(recordedRestarts()).isZero();
    }

    @Test
    void alwaysRestartsUntilAStopIsAskedFor() throws Exception {
        LaunchedContainer c = launch(fs.plan(Namespace.PID).command("sh", "-c", "echo run; exit 0")
                .restart(new Restart(Restart.Policy.ALWAYS, 0, List.of())).build(), SyncHook.NONE);
        awaitRestarts(3);
        assertThat(c.exitStatus()).isEmpty();

        RestartRecord.requestStop(fs.stateDir);
        c.signal(Signals.SIGKILL);
        assertThat(c.waitFor(WAIT)).isPresent();
        int runs = stdout().size();
        // the SIGKILL may hit a run the monitor had just begun, before its echo: counted, but without a line
        assertThat(recordedRestarts()).isGreaterThanOrEqualTo(3).isBetween(runs - 1, runs);
    }

    @Test
    void aDetachedContainerIsRestartedWithoutItsJvmInTheSameNetworkNamespaceAndCgroup() throws Exception {
        Cgroups cgroups = Cgroups.detect();
        CgroupManager cgroup = cgroups.create(Cgroups.DEFAULT_PARENT, "restart-test-" + ProcessHandle.current().pid(),
                CgroupLimits.builder().build());
        try {
            boolean v2 = cgroups.version() == CgroupVersion.V2;
            LaunchPlan.Builder plan = fs.plan(Namespace.PID, Namespace.NET)
                    .command("sh", "-c", "readlink /proc/self/ns/net; grep -c " + cgroup.relativePath()
                            + " /proc/self/cgroup; exit 1")
                    .lifetime(Lifetime.DETACHED)
                    .restart(new Restart(Restart.Policy.ON_FAILURE, 2, v2 ? List.of() : cgroup.directories()));
            if (v2) {
                plan.cgroup(cgroup.path(""));
            }
            LaunchedContainer c = launcher.launch(plan.build(), v2 ? SyncHook.NONE : cgroup::addProcess);
            long monitor = c.monitorPid();
            c.close(); // no JVM is listening any more: the monitor restarts on its own
            try (LaunchedContainer attached = LaunchedContainer.attach(monitor, fs.stateDir)) {
                assertThat(attached.waitFor(WAIT).orElseThrow().exitCode()).isEqualTo(1);
            }
            List<String> out = stdout();
            assertThat(out).hasSize(6);
            List<String> namespaces = List.of(out.get(0), out.get(2), out.get(4));
            assertThat(namespaces).allMatch(ns -> ns.startsWith("net:[")).containsOnly(namespaces.getFirst());
            assertThat(namespaces.getFirst()).isNotEqualTo(Files.readSymbolicLink(Path.of("/proc/self/ns/net")).toString());
            int hierarchies = v2 ? 1 : cgroup.directories().size();
            assertThat(List.of(out.get(1), out.get(3), out.get(5))).containsOnly(Integer.toString(hierarchies));
            assertThat(recordedRestarts()).isEqualTo(2);
        } finally {
            cgroup.killAll();
            cgroup.destroy();
            try {
                cgroups.removeParent(Cgroups.DEFAULT_PARENT);
            } catch (RuntimeException ignored) {
                // in use by another test JVM
            }
        }
    }

    private long recordedPid() throws IOException {
        return JSON.readTree(fs.stateDir.resolve(LaunchedContainer.EXIT_FILE).toFile()).get("pid").asLong();
    }

    private void awaitRestarts(int count) throws InterruptedException {
        for (int i = 0; i < 500; i++) {
            Optional<RestartRecord> r = RestartRecord.read(fs.stateDir);
            if (r.isPresent() && r.get().restartCount() >= count) {
                return;
            }
            Thread.sleep(10);
        }
        throw new AssertionError("no " + count + " restarts: " + RestartRecord.read(fs.stateDir));
    }
}
