package dev.jcontainers.core.container;

import dev.jcontainers.api.Container;
import dev.jcontainers.api.HealthCheck;
import dev.jcontainers.api.HealthStatus;
import dev.jcontainers.core.LocalEngine;
import dev.jcontainers.testkit.RegistryServer;
import dev.jcontainers.testkit.RegistryTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/** A detached container's health checks go on in another engine once the one that started it closes. */
@RegistryTest
class HealthAcrossEnginesTest {
    static RegistryServer registry;

    @TempDir
    Path fixtures;

    @TempDir
    Path root;

    private static HealthStatus awaitHealth(Container c, Predicate<HealthStatus> done) throws InterruptedException {
        return HealthCheckTest.awaitHealth(c, Duration.ofSeconds(15), done);
    }

    private static Predicate<HealthStatus> failedProbeAfter(Instant t) {
        return h -> h.log().stream().anyMatch(p -> p.start().isAfter(t) && p.exitCode() == 1);
    }

    @Test
    void theNextEngineOnTheRootResumesProbingFromTheSavedStatus() throws InterruptedException {
        String image = RuntimeFixture.pushBusybox(registry, fixtures, "health-engines/busybox", 1);
        LocalEngine starter = RuntimeFixture.engine(root);
        LocalEngine second = null;
        LocalEngine third = null;
        String id = null;
        try {
            starter.images().pull(image);
            HealthCheck check = HealthCheck.shell("test -f /tmp/ready").withInterval(Duration.ofMillis(100))
                    .withRetries(1000);
            Container started = starter.containers().builder().image(image).command("sleep", "600").detached()
                    .healthCheck(check).start();
            id = started.id();
            second = RuntimeFixture.engine(root);
            Container seen = second.containers().get(id);
            started.exec("touch", "/tmp/ready");
            seen.waitForHealthy(Duration.ofSeconds(15)); // probed by the starter, read from its saved status

            starter.close();
            starter = null;
            Instant closed = Instant.now();
            seen.exec("rm", "/tmp/ready");
            HealthStatus resumed = awaitHealth(seen, failedProbeAfter(closed));
            // went on from the saved status (healthy), not from a fresh start
            assertThat(resumed.status()).isEqualTo(HealthStatus.State.HEALTHY);
            assertThat(resumed.failingStreak()).isPositive();
            seen.exec("touch", "/tmp/ready");
            awaitHealth(seen, h -> h.failingStreak() == 0 && h.log().getLast().start().isAfter(closed));

            second.close();
            second = null;
            third = RuntimeFixture.engine(root);
            Container later = third.containers().get(id);
            Instant reopened = Instant.now();
            later.exec("rm", "/tmp/ready");
            assertThat(awaitHealth(later, failedProbeAfter(reopened)).status()).isEqualTo(HealthStatus.State.HEALTHY);
        } finally {
            LocalEngine last = third != null ? third : second != null ? second : starter;
            if (id != null && last != null) {
                last.containers().get(id).remove(true, true);
            }
            for (LocalEngine e : new LocalEngine[]{starter, second}) {
                if (e != null && e != last) {
                    e.close();
                }
            }
            RuntimeFixture.close(last, root);
        }
    }

    @Test
    void oneEngineAtATimeHoldsTheLease() throws Exception {
        java.nio.file.Files.createDirectories(root.resolve("c"));
        HealthLease.prepare(root.resolve("c"));
        try (HealthLease held = HealthLease.tryAcquire(root.resolve("c")).orElseThrow()) {
            assertThat(HealthLease.tryAcquire(root.resolve("c"))).isEmpty();
            assertThat(HealthLease.tryAcquire(root.resolve("c").resolve("..").resolve("c"))).isEmpty();
        }
        HealthLease.tryAcquire(root.resolve("c")).orElseThrow().close();
        assertThat(HealthLease.tryAcquire(root.resolve("gone"))).as("no lock file: no lease").isEmpty();
    }
}
