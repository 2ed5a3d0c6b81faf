package dev.jcontainers.core.container;

import dev.jcontainers.api.Container;
import dev.jcontainers.api.ContainerStateException;
import dev.jcontainers.api.HealthCheck;
import dev.jcontainers.api.HealthStatus;
import dev.jcontainers.api.RestartPolicy;
import dev.jcontainers.api.WaitTimeoutException;
import dev.jcontainers.core.LocalEngine;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Health checks probing real containers, as root on the real kernel. */
@RuntimeTest(repo = "health/busybox")
class HealthCheckTest {
    static final String WITH_HEALTHCHECK = "localhost/health/with-check:1";
    static final Duration FAST = Duration.ofMillis(100);

    static LocalEngine engine;
    @RuntimeTest.Image
    static String image;

    @RuntimeTest.Root
    static Path root;

    @BeforeAll
    static void setUp() {
        engine.images().pull(image);
        engine.images().buildFrom(image)
                .healthCheck(HealthCheck.shell("test -f /tmp/ready").withInterval(FAST).withRetries(50))
                .tag(WITH_HEALTHCHECK).build();
    }

    private static Container sleeper(HealthCheck check) {
        return engine.containers().builder().image(image).command("sleep", "600").healthCheck(check).start();
    }

    private static HealthStatus awaitHealth(Container c, Predicate<HealthStatus> done) throws InterruptedException {
        return awaitHealth(c, Duration.ofSeconds(10), done);
    }

    /** Polls {@code c}'s health until {@code done} holds, failing once {@code within} has passed. */
    static HealthStatus awaitHealth(Container c, Duration within, Predicate<HealthStatus> done)
            throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        HealthStatus h = c.inspect().health();
        while (!done.test(h)) {
            assertThat(System.nanoTime()).as("health reached in time, last: %s", h).isLessThan(deadline);
            Thread.sleep(20);
            h = c.inspect().health();
        }
        return h;
    }

    @Test
    void becomesHealthyOnceThePassingConditionAppears() throws InterruptedException {
        HealthCheck check = HealthCheck.shell("test -f /tmp/ready").withInterval(FAST).withRetries(100);
        try (Container c = sleeper(check)) {
            HealthStatus failing = awaitHealth(c, h -> h.log().size() >= 2);
            assertThat(failing.status()).isEqualTo(HealthStatus.State.STARTING);
            assertThat(failing.log()).allSatisfy(p -> assertThat(p.exitCode()).isEqualTo(1));
            assertThatThrownBy(() -> c.waitForHealthy(Duration.ofMillis(150))).isInstanceOf(WaitTimeoutException.class);

            c.exec("touch", "/tmp/ready");
            c.waitForHealthy(Duration.ofSeconds(10));

            HealthStatus healthy = c.inspect().health();
            assertThat(healthy.status()).isEqualTo(HealthStatus.State.HEALTHY);
            assertThat(healthy.failingStreak()).isZero();
            assertThat(healthy.log()).hasSizeLessThanOrEqualTo(HealthStatus.MAX_LOG);
            HealthStatus.Probe last = healthy.log().getLast();
            assertThat(last.exitCode()).isZero();
            assertThat(last.end()).isAfterOrEqualTo(last.start());
            // what another engine sees: the status saved in the container directory
            HealthStatus saved = new HealthMonitor(null, null, id -> root.resolve("containers").resolve(id)).status(c.id());
            assertThat(saved.status()).isEqualTo(HealthStatus.State.HEALTHY);
            assertThat(saved.log()).isNotEmpty();
        }
    }

    @Test
    void turnsUnhealthyAfterRetriesConsecutiveFailures() throws InterruptedException {
        HealthCheck check = HealthCheck.cmd("sh", "-c", "echo not yet; exit 3").withInterval(FAST).withRetries(3);
        try (Container c = sleeper(check)) {
            HealthStatus starting = awaitHealth(c, h -> h.log().size() == 2);
            assertThat(starting.status()).isEqualTo(HealthStatus.State.STARTING);
            assertThat(starting.failingStreak()).isEqualTo(2);

            assertThatThrownBy(() -> c.waitForHealthy(Duration.ofSeconds(10)))
                    .isInstanceOf(ContainerStateException.class).hasMessageContaining("unhealthy")
                    .hasMessageContaining("not yet");
            HealthStatus unhealthy = c.inspect().health();
            assertThat(unhealthy.status()).isEqualTo(HealthStatus.State.UNHEALTHY);
            assertThat(unhealthy.failingStreak()).isGreaterThanOrEqualTo(3);
            assertThat(unhealthy.log()).allSatisfy(p -> {
                assertThat(p.exitCode()).isEqualTo(3);
                assertThat(p.output()).isEqualTo("not yet\n");
            });
        }
    }

    @Test
    void aProbeOverItsTimeoutIsKilledAndFails() throws InterruptedException {
        HealthCheck check = HealthCheck.shell("sleep 5").withInterval(FAST).withTimeout(Duration.ofMillis(200))
                .withRetries(1);
        try (Container c = sleeper(check)) {
            Instant before = Instant.now();
            HealthStatus h = awaitHealth(c, s -> s.status() == HealthStatus.State.UNHEALTHY);
            assertThat(Duration.between(before, Instant.now())).isLessThan(Duration.ofSeconds(3));
            HealthStatus.Probe p = h.log().getFirst();
            assertThat(p.exitCode()).isEqualTo(-1);
            assertThat(p.output()).contains("exceeded timeout");
            assertThat(Duration.between(p.start(), p.end())).isLessThan(Duration.ofSeconds(2));
        }
    }

    @Test
    void failuresDuringTheStartPeriodDoNotCount() throws InterruptedException {
        Duration startPeriod = Duration.ofMillis(1500);
        HealthCheck check = HealthCheck.cmd("false").withInterval(FAST).withRetries(1).withStartPeriod(startPeriod);
        try (Container c = sleeper(check)) {
            Instant periodEnd = c.inspect().startedAt().plus(startPeriod);
            HealthStatus early = awaitHealth(c, h -> h.log().size() >= 2);
            assertThat(Instant.now()).as("the probes came early enough to test the start period").isBefore(periodEnd);
            assertThat(early.status()).isEqualTo(HealthStatus.State.STARTING);
            assertThat(early.failingStreak()).isZero();

            HealthStatus late = awaitHealth(c, h -> h.status() == HealthStatus.State.UNHEALTHY);
            assertThat(late.failingStreak()).isEqualTo(
                    (int) late.log().stream().filter(p -> !p.start().isBefore(periodEnd)).count());
            assertThat(late.log().getLast().start()).isAfterOrEqualTo(periodEnd);
        }
    }

    @Test
    void runsTheImagesHealthcheckUnlessDisabled() throws InterruptedException {
        try (Container c = engine.containers().builder().image(WITH_HEALTHCHECK)
                .command("sh", "-c", "touch /tmp/ready; exec sleep 600").start()) {
            c.waitForHealthy(Duration.ofSeconds(10));
            assertThat(c.inspect().health().log().getLast().exitCode()).isZero();
        }
        try (Container c = engine.containers().builder().image(WITH_HEALTHCHECK).command("sleep", "600")
                .noHealthCheck().start()) {
            Thread.sleep(300);
            assertThat(c.inspect().health()).isNull();
            assertThatThrownBy(() -> c.waitForHealthy(Duration.ofSeconds(1)))
                    .isInstanceOf(ContainerStateException.class).hasMessageContaining("no health check");
        }
        // the caller's timing over the image's test: one failure is enough
        try (Container c = engine.containers().builder().image(WITH_HEALTHCHECK).command("sleep", "600")
                .healthCheck(HealthCheck.imageTest().withRetries(1)).start()) {
            HealthStatus h = awaitHealth(c, s -> s.status() == HealthStatus.State.UNHEALTHY);
            assertThat(h.failingStreak()).isEqualTo(1);
        }
    }

    @Test
    void stopsProbingWhenTheContainerExits() throws InterruptedException {
        HealthCheck check = HealthCheck.shell("true").withInterval(FAST);
        try (Container c = engine.containers().builder().image(image).command("sleep", "0.8").healthCheck(check)
                .start()) {
            c.waitFor(Duration.ofSeconds(10));
            Instant finished = c.inspect().finishedAt();
            List<HealthStatus.Probe> atExit = c.inspect().health().log();
            assertThat(atExit).isNotEmpty().allSatisfy(p -> assertThat(p.start()).isBefore(finished));
            Thread.sleep(500);
            assertThat(c.inspect().health().log()).isEqualTo(atExit);
            assertThatThrownBy(() -> c.waitForHealthy(Duration.ofSeconds(1)))
                    .isInstanceOf(ContainerStateException.class).hasMessageContaining("not running");
        }
    }

    @Test
    void aContainerWithoutCheckHasNoHealth() {
        try (Container c = engine.containers().builder().image(image).command("sleep", "600").start()) {
            assertThat(c.inspect().health()).isNull();
        }
    }

    @Test
    void probingGoesOnAcrossTheMonitorsRestarts() throws InterruptedException {
        try (Container c = engine.containers().builder().image(image).command("sh", "-c", "sleep 0.3; exit 1")
                .restartPolicy(RestartPolicy.always()).healthCheck(HealthCheck.cmd("true").withInterval(FAST)).start()) {
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (c.inspect().restartCount() < 3 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(c.inspect().restartCount()).isGreaterThanOrEqualTo(3);
            // probes that met the back-off between two runs did not end the health check
            Instant later = Instant.now();
            Predicate<HealthStatus> probedSince = h -> h != null && h.log().stream().anyMatch(p -> p.start().isAfter(later));
            while (!probedSince.test(c.inspect().health()) && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(c.inspect().health()).matches(probedSince, "probed after the third restart");
        }
    }
}
