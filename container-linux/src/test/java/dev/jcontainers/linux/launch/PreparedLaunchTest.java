package dev.jcontainers.linux.launch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.jcontainers.linux.cgroup.CgroupLimits;
import dev.jcontainers.linux.cgroup.CgroupManager;
import dev.jcontainers.linux.cgroup.CgroupVersion;
import dev.jcontainers.linux.cgroup.Cgroups;
import dev.jcontainers.linux.namespace.Namespace;
import dev.jcontainers.linux.namespace.NamespaceMode;
import dev.jcontainers.testkit.Requirements;

/** A helper prepared ahead of its plan: the container process is born in the zygote's cgroup, the monitor is not. */
class PreparedLaunchTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    private BusyboxRootfs fs;
    private Cgroups cgroups;
    private CgroupManager cgroup;

    @BeforeEach
    void setUp() throws IOException {
        fs = BusyboxRootfs.create();
        cgroups = Cgroups.detect();
        Requirements.require(cgroups.version() == CgroupVersion.V1, "prepared launches are for cgroup v1 hosts");
        cgroup = cgroups.create(Cgroups.DEFAULT_PARENT, "prepared-test-" + ProcessHandle.current().pid(),
                CgroupLimits.builder().build());
    }

    @AfterEach
    void tearDown() throws IOException {
        if (cgroup != null) {
            cgroup.killAll();
            cgroup.destroy();
            try {
                cgroups.removeParent(Cgroups.DEFAULT_PARENT);
            } catch (RuntimeException ignored) {
                // in use by another test JVM
            }
        }
        assertThat(ProcessHandle.current().children().toList()).as("processes left behind").isEmpty();
        if (fs != null) {
            fs.close();
        }
    }

    @Test
    void theContainerProcessStartsInTheZygotesCgroupAsTheMonitorsChildAndTheMonitorStaysOut() throws Exception {
        try (Launcher.Prepared prepared = fs.launcher().prepare()) {
            cgroup.addProcess(prepared.zygotePid());
            LaunchPlan plan = fs.plan(Namespace.PID, Namespace.NET, Namespace.CGROUP).command("sleep", "60").build();
            assertThat(Launcher.preparable(plan)).isTrue();

            try (LaunchedContainer c = fs.launcher().launch(prepared, plan, pid -> { })) {
                assertThat(parentOf(c.pid())).isEqualTo(c.monitorPid());
                assertThat(cgroup.processes()).containsExactly(c.pid()); // the zygote has exited
                assertThat(ProcessHandle.of(prepared.zygotePid())).isEmpty();
                assertThat(cgroupLines(c.monitorPid())).noneMatch(line -> line.contains(cgroup.relativePath()));
                assertThat(cgroupLines(c.pid())).filteredOn(line -> line.contains(cgroup.relativePath()))
                        .hasSize(cgroup.directories().size());
                c.signal(9);
                assertThat(c.waitFor(WAIT).orElseThrow().signal()).isEqualTo(9);
            }
            assertThatThrownBy(() -> fs.launcher().launch(prepared, plan, pid -> { }))
                    .isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void anUnusedPreparedHelperEndsWithItsZygoteOnClose() {
        Launcher.Prepared prepared = fs.launcher().prepare();
        cgroup.addProcess(prepared.zygotePid());
        assertThat(cgroup.processes()).containsExactly((long) prepared.zygotePid());

        prepared.close();

        assertThat(ProcessHandle.current().children().toList()).isEmpty();
        // the kernel delivers the zygote's parent-death signal as its parent exits; it is gone or going
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!cgroup.processes().isEmpty() && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertThat(cgroup.processes()).isEmpty();
    }

    @Test
    void theHelperRefusesAPlanItsZygoteCannotHonour() {
        try (Launcher.Prepared prepared = fs.launcher().prepare()) {
            LaunchPlan joinsPid = fs.plan(Namespace.NET)
                    .namespace(Namespace.PID, NamespaceMode.join(Path.of("/proc/self/ns/pid")))
                    .command("true").build();
            assertThat(Launcher.preparable(joinsPid)).isFalse();

            assertThatThrownBy(() -> fs.launcher().launch(prepared, joinsPid, pid -> { }))
                    .isInstanceOf(LaunchException.class)
                    .hasMessageContaining("a prepared launch takes a sandbox");
        }
        assertThat(ProcessHandle.current().children().toList()).isEmpty();
    }

    private static long parentOf(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        return Long.parseLong(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[1]);
    }

    private static List<String> cgroupLines(long pid) throws IOException {
        return Files.readAllLines(Path.of("/proc", Long.toString(pid), "cgroup")).stream()
                .filter(Predicate.not(String::isBlank)).toList();
    }
}
