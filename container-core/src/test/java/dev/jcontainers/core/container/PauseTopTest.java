package dev.jcontainers.core.container;

import dev.jcontainers.api.Container;
import dev.jcontainers.api.ContainerStateException;
import dev.jcontainers.api.ContainerStatus;
import dev.jcontainers.api.ProcessInfo;
import dev.jcontainers.core.LocalEngine;
import dev.jcontainers.linux.cgroup.Cgroups;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** pause/unpause (the cgroup freezer) and top (the cgroup's processes from /proc) on real containers. */
@RuntimeTest(repo = "pause/busybox")
class PauseTopTest {
    static LocalEngine engine;
    @RuntimeTest.Image
    static String image;

    @RuntimeTest.Root
    static Path root;

    private Container sleeper() {
        return engine.containers().builder().image(image).command("sh", "-c", "sleep 1000 & sleep 999; echo done").start();
    }

    /** The kernel's own view of the freezer, v1 or v2. */
    private static boolean kernelSaysFrozen(String id) throws Exception {
        Path v1 = Path.of("/sys/fs/cgroup/freezer", Cgroups.DEFAULT_PARENT, id, "freezer.state");
        if (Files.exists(v1)) {
            return Files.readString(v1).strip().equals("FROZEN");
        }
        Path v2 = Path.of("/sys/fs/cgroup", Cgroups.DEFAULT_PARENT, id, "cgroup.events");
        return Files.readAllLines(v2).contains("frozen 1");
    }

    @Test
    void pauseFreezesEveryProcessAndUnpauseLetsThemRunAgain() throws Exception {
        try (Container c = sleeper()) {
            c.pause();
            assertThat(c.status()).isEqualTo(ContainerStatus.PAUSED);
            assertThat(c.inspect().status()).isEqualTo(ContainerStatus.PAUSED);
            assertThat(kernelSaysFrozen(c.id())).isTrue();
            assertThat(engine.containers().list(false)).extracting(i -> i.id()).contains(c.id());
            assertThatThrownBy(c::pause).isInstanceOf(ContainerStateException.class).hasMessageContaining("already paused");
            assertThatThrownBy(() -> c.exec("true")).isInstanceOf(ContainerStateException.class)
                    .hasMessageContaining("paused");

            c.unpause();
            assertThat(kernelSaysFrozen(c.id())).isFalse();
            assertThat(c.status()).isEqualTo(ContainerStatus.RUNNING);
            assertThat(c.exec("echo", "alive").stdout()).isEqualTo("alive\n");
            assertThatThrownBy(c::unpause).isInstanceOf(ContainerStateException.class).hasMessageContaining("not paused");
        }
    }

    @Test
    void aPausedContainerCanBeStoppedKilledAndRemoved() throws Exception {
        Container stopped = sleeper();
        Container killed = sleeper();
        Container removed = sleeper();
        List<String> ids = List.of(stopped.id(), killed.id(), removed.id());
        for (Container c : List.of(stopped, killed, removed)) {
            c.pause();
        }
        // sh as pid 1 ignores SIGTERM: the stop ends in SIGKILL after the grace period, which must reach it
        stopped.stop(Duration.ofMillis(200));
        assertThat(stopped.status()).isEqualTo(ContainerStatus.EXITED);
        assertThat(stopped.exitCode()).hasValue(137);
        killed.kill();
        assertThat(killed.waitFor(Duration.ofSeconds(20))).isEqualTo(137);
        removed.remove(true);
        stopped.remove(false);
        killed.remove(false);
        assertThat(HostFootprint.cgroupsLeft(ContainerService.CGROUP_PARENT, ids)).isEmpty();
        assertThat(root.resolve("containers").resolve(removed.id())).doesNotExist();
    }

    @Test
    void pauseAndTopNeedARunningContainer() {
        try (Container c = engine.containers().builder().image(image).command("true").create()) {
            assertThatThrownBy(c::pause).isInstanceOf(ContainerStateException.class).hasMessageContaining("not running");
            assertThatThrownBy(c::top).isInstanceOf(ContainerStateException.class).hasMessageContaining("not running");
        }
    }

    @Test
    void topListsTheContainersProcessesWithHostPids() {
        try (Container c = sleeper()) {
            List<ProcessInfo> ps = awaitProcesses(c, 3);
            long init = c.inspect().pid();
            assertThat(ps).extracting(ProcessInfo::command)
                    .containsExactlyInAnyOrder("sh -c sleep 1000 & sleep 999; echo done", "sleep 1000", "sleep 999");
            assertThat(ps).filteredOn(p -> p.pid() == init).extracting(ProcessInfo::name).containsExactly("sh");
            assertThat(ps).filteredOn(p -> p.pid() != init).hasSize(2).allSatisfy(p -> {
                assertThat(p.ppid()).isEqualTo(init);
                assertThat(p.user()).isEqualTo("root");
                assertThat(p.name()).isEqualTo("sleep");
                assertThat(p.state()).isEqualTo('S');
                assertThat(p.tty()).isEqualTo("?");
                assertThat(ProcessHandle.of(p.pid())).isPresent();
            });
        }
    }

    /** sh forks its children right after exec: wait until they are there and asleep (past their own exec). */
    private static List<ProcessInfo> awaitProcesses(Container c, int count) {
        List<ProcessInfo> ps = c.top();
        for (int i = 0; i < 500 && (ps.size() < count || ps.stream().anyMatch(p -> p.state() != 'S')); i++) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            ps = c.top();
        }
        return ps;
    }
}
