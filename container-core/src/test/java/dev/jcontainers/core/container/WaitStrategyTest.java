package dev.jcontainers.core.container;

import dev.jcontainers.api.Container;
import dev.jcontainers.api.ContainerBuilder;
import dev.jcontainers.api.ContainerInfo;
import dev.jcontainers.api.ContainerStatus;
import dev.jcontainers.api.ContainerWaitException;
import dev.jcontainers.api.ContainerWaitTimeoutException;
import dev.jcontainers.api.HealthCheck;
import dev.jcontainers.api.NetworkMode;
import dev.jcontainers.api.Wait;
import dev.jcontainers.core.LocalEngine;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Readiness waits on real containers, as root on the real kernel. */
@RuntimeTest(repo = "wait/busybox")
class WaitStrategyTest {
    static final Duration LONG = Duration.ofSeconds(30);

    static LocalEngine engine;
    @RuntimeTest.Image
    static String image;

    @BeforeAll
    static void setUp() {
        engine.images().pull(image);
    }

    private static ContainerBuilder shell(String script) {
        return engine.containers().builder().image(image).command("sh", "-c", script);
    }

    @Test
    void waitsForTheNthMatchingLineOfTheChosenStream() {
        try (Container c = shell("echo starting; sleep 0.2; echo 'ready 1' >&2; sleep 0.2; echo 'ready 2'; "
                + "echo 'ready 3' >&2; sleep 600").start()) {
            c.waitUntil(Wait.forLogLine("^ready \\d$").times(3), LONG);
            assertThat(c.logs().stderr()).contains("ready 3");

            assertThatThrownBy(() -> c.waitUntil(Wait.forLogLine("ready").onStdout().times(2), Duration.ofMillis(300)))
                    .isInstanceOfSatisfying(ContainerWaitTimeoutException.class, e -> {
                        assertThat(e.status()).isEqualTo(ContainerStatus.RUNNING);
                        assertThat(e.exitCode()).isEmpty();
                        assertThat(e.lastLogLines()).containsExactly("starting", "ready 1", "ready 2", "ready 3");
                    })
                    .hasMessageContaining("was not ready within 300ms")
                    .hasMessageContaining("log line matching 'ready' 2 times on stdout (seen 1)")
                    .hasMessageContaining("(running)")
                    .hasMessageContaining("\n  ready 3");
        }
    }

    @Test
    void anEarlyExitIsReportedWithItsCodeAndLogsNotAsATimeout() {
        try (Container c = shell("for i in $(seq 1 15); do echo line $i; done; echo 'config missing' >&2; exit 3")
                .start()) {
            assertThatThrownBy(() -> c.waitUntil(Wait.forPort(8080), Duration.ofMinutes(10)))
                    .isExactlyInstanceOf(ContainerWaitException.class)
                    .satisfies(t -> {
                        ContainerWaitException e = (ContainerWaitException) t;
                        assertThat(e.status()).isEqualTo(ContainerStatus.EXITED);
                        assertThat(e.exitCode()).hasValue(3);
                        assertThat(e.lastLogLines()).hasSize(10).endsWith("line 15", "config missing");
                    })
                    .hasMessageContaining("exited with code 3 while waiting for port 8080 to accept connections")
                    .hasMessageContaining("config missing");
        }
    }

    @Test
    void aPortIsReadyOnceSomethingListensInsideTheContainersNetworkNamespace() {
        // network none: the port is reachable only from inside the container's own namespace
        try (Container c = shell("sleep 0.3; exec httpd -f -p 7070").network(NetworkMode.none())
                .waitingFor(Wait.forPort(7070), LONG).start()) {
            assertThat(c.status()).isEqualTo(ContainerStatus.RUNNING);
            assertThatThrownBy(() -> c.waitUntil(Wait.forPort(7071), Duration.ofMillis(200)))
                    .isInstanceOf(ContainerWaitTimeoutException.class)
                    .hasMessageContaining("still waiting for port 7071 to accept connections");
        }
    }

    @Test
    void startWaitsForHealthyAndFailsAtOnceWhenUnhealthy() {
        HealthCheck check = HealthCheck.shell("test -f /tmp/ready").withInterval(Duration.ofMillis(100))
                .withRetries(100);
        try (Container c = shell("sleep 0.3; touch /tmp/ready; sleep 600").healthCheck(check)
                .waitingFor(Wait.forHealthy()).start()) {
            assertThat(c.inspect().health().status()).isEqualTo(dev.jcontainers.api.HealthStatus.State.HEALTHY);
        }
        HealthCheck failing = HealthCheck.shell("echo broken; exit 1").withInterval(Duration.ofMillis(100))
                .withRetries(1);
        try (Container c = shell("sleep 600").healthCheck(failing).start()) {
            assertThatThrownBy(() -> c.waitUntil(Wait.forHealthy(), Duration.ofMinutes(10)))
                    .isExactlyInstanceOf(ContainerWaitException.class)
                    .hasMessageContaining("is unhealthy (last probe exited with 1: broken)");
        }
    }

    @Test
    void aFailedStartWaitRemovesTheContainer() {
        ContainerBuilder b = shell("echo 'fatal: no such table' >&2; exit 1").name("wait-fails")
                .waitingFor(Wait.forLogLine("listening"), LONG);
        assertThatThrownBy(b::start).isExactlyInstanceOf(ContainerWaitException.class)
                .hasMessageContaining("container wait-fails").hasMessageContaining("exited with code 1")
                .hasMessageContaining("fatal: no such table");
        assertThat(engine.containers().list(true)).extracting(ContainerInfo::name).doesNotContain("wait-fails");
    }

    @Test
    void allAwaitsEachInTurnAndExitCanBeAwaited() {
        try (Container c = shell("echo step one; sleep 0.2; echo step two; exit 0").start()) {
            c.waitUntil(Wait.all(Wait.forLogLine("one"), Wait.forLogLine("two"), Wait.forExit()), LONG);
            assertThat(c.exitCode()).hasValue(0);
        }
        try (Container c = shell("sleep 600").start()) {
            c.waitUntil(Wait.until("exec works", x -> x.exec("true").exitCode() == 0), LONG);
            assertThatThrownBy(() -> c.waitUntil(Wait.until("the marker file",
                    x -> x.exec("test", "-f", "/marker").exitCode() == 0), Duration.ofMillis(200)))
                    .isInstanceOf(ContainerWaitTimeoutException.class)
                    .hasMessageContaining("still waiting for the marker file")
                    .hasMessageContaining("it wrote no log lines");
        }
    }

    @Test
    void anAutoRemovedContainerThatIsGoneHasExited() {
        Container c = shell("echo bye").autoRemove().start();
        c.waitUntil(Wait.forExit(), LONG);
        assertThatThrownBy(() -> c.waitUntil(Wait.forLogLine("never"), LONG))
                .isExactlyInstanceOf(ContainerWaitException.class) // removed by now, or about to be
                .hasMessageMatching("(?s).*(was removed \\(it exited\\)|exited with code 0) while waiting for log line.*");
    }

    @Test
    void aCreatedButNeverStartedContainerCannotBeAwaited() {
        try (Container c = shell("true").create()) {
            assertThatThrownBy(() -> c.waitUntil(Wait.forExit(), LONG))
                    .isInstanceOf(dev.jcontainers.api.ContainerStateException.class)
                    .hasMessageContaining("never started");
        }
    }
}
