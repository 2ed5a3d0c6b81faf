package dev.jcontainers.core.container;

import dev.jcontainers.api.Container;
import dev.jcontainers.api.ContainerException;
import dev.jcontainers.api.ContainerInfo;
import dev.jcontainers.api.ContainerStatus;
import dev.jcontainers.api.RestartPolicy;
import dev.jcontainers.core.LocalEngine;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** docker run --restart on real containers: the monitor restarts, the engines observe and stop. */
@RuntimeTest(repo = "restart/busybox")
class RestartPolicyTest {
    static LocalEngine engine;
    @RuntimeTest.Image
    static String image;

    @RuntimeTest.Root
    static Path root;

    @Test
    void onFailureRestartsUpToItsLimitAndInspectCountsTheRestarts() {
        try (Container c = engine.containers().builder().image(image).command("sh", "-c", "echo run; exit 3")
                .restartPolicy(RestartPolicy.parse("on-failure:2")).start()) {
            assertThat(c.waitFor(Duration.ofSeconds(30))).isEqualTo(3);
            assertThat(c.logs().stdout().lines()).containsExactly("run", "run", "run");
            ContainerInfo info = c.inspect();
            assertThat(info.status()).isEqualTo(ContainerStatus.EXITED);
            assertThat(info.restartCount()).isEqualTo(2);
            assertThat(info.restartPolicy()).isEqualTo(RestartPolicy.onFailure(2));
        }
    }

    @Test
    void aDetachedAlwaysContainerIsSeenByAnotherEngineAndItsStopIsFinal() throws Exception {
        Container c = engine.containers().builder().image(image).detached()
                .command("sh", "-c", "echo run; sleep 0.2; exit 1").restartPolicy(RestartPolicy.always()).start();
        String id = c.id();
        try (LocalEngine other = RuntimeFixture.engine(root)) {
            Container seen = other.containers().get(id);
            Set<Long> pids = new HashSet<>();
            ContainerInfo info = seen.inspect();
            for (int i = 0; i < 1000 && info.restartCount() < 3; i++) {
                if (info.pid() > 0) {
                    pids.add(info.pid());
                } else {
                    assertThat(info.status()).isEqualTo(ContainerStatus.RESTARTING);
                }
                Thread.sleep(10);
                info = seen.inspect();
            }
            assertThat(info.restartCount()).isGreaterThanOrEqualTo(3);
            assertThat(pids).as("a new process at each restart").hasSizeGreaterThan(1);
            assertThat(info.restartPolicy()).isEqualTo(RestartPolicy.always());

            seen.stop(Duration.ofMillis(300));
            assertThat(seen.status()).isEqualTo(ContainerStatus.EXITED);
            int restarts = seen.inspect().restartCount();
            assertThat(c.waitFor(Duration.ofSeconds(10))).isIn(1, 137);
            assertThat(c.logs().stdout().lines()).hasSize(restarts + 1);
            seen.remove(false);
        }
        assertThat(HostFootprint.cgroupsLeft(ContainerService.CGROUP_PARENT, List.of(id))).isEmpty();
        assertThat(root.resolve("containers").resolve(id)).doesNotExist();
    }

    @Test
    void aKillByTheUserIsNotUndoneByThePolicy() {
        try (Container c = engine.containers().builder().image(image).command("sleep", "1000")
                .restartPolicy(RestartPolicy.unlessStopped()).start()) {
            c.kill();
            assertThat(c.waitFor(Duration.ofSeconds(20))).isEqualTo(137);
            assertThat(c.inspect().restartCount()).isZero();
            assertThat(c.status()).isEqualTo(ContainerStatus.EXITED);
        }
    }

    @Test
    void restartsInAUserNamespaceAreRefused() {
        assertThatThrownBy(() -> engine.containers().builder().image(image).command("true").userNamespace()
                .restartPolicy(RestartPolicy.always()).create())
                .isInstanceOf(ContainerException.class).hasMessageContaining("user namespace");
    }

    @Test
    void policiesParseAsDockerWritesThem() {
        assertThat(RestartPolicy.parse("no")).isEqualTo(RestartPolicy.NO);
        assertThat(RestartPolicy.parse("on-failure")).isEqualTo(RestartPolicy.onFailure(0));
        assertThat(RestartPolicy.parse("on-failure:5").toString()).isEqualTo("on-failure:5");
        assertThat(RestartPolicy.parse("unless-stopped")).isEqualTo(RestartPolicy.unlessStopped());
        assertThatThrownBy(() -> RestartPolicy.parse("always:3")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RestartPolicy.parse("sometimes")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RestartPolicy.parse("on-failure:x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> engine.containers().builder().image(image).autoRemove()
                .restartPolicy(RestartPolicy.always()).build()).isInstanceOf(IllegalArgumentException.class);
    }
}
