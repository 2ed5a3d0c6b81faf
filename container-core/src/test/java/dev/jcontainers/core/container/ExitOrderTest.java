package dev.jcontainers.core.container;

import dev.jcontainers.api.Container;
import dev.jcontainers.api.EngineOptions;
import dev.jcontainers.core.LocalEngine;
import dev.jcontainers.testkit.FixtureImage;
import dev.jcontainers.testkit.RegistryServer;
import dev.jcontainers.testkit.RegistryTest;
import dev.jcontainers.testkit.Requirements;
import dev.jcontainers.testkit.Skopeo;
import dev.jcontainers.testkit.TestImages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A container's exit is seen when it happens, however many long-running containers were started before it. */
@RegistryTest
class ExitOrderTest {
    @TempDir
    Path root;

    @Test
    void aShortContainerIsNotHeldUpByLongOnesStartedEarlier(RegistryServer registry) {
        Requirements.requireRoot();
        FixtureImage busybox = new TestImages(root.resolve("fixtures")).singleLayer("order");
        Skopeo.push(busybox, registry, "order/busybox:1");
        String image = registry.host() + "/order/busybox:1";
        try (LocalEngine engine = new LocalEngine(EngineOptions.builder().root(root.resolve("store"))
                .dockerConfig(root.resolve("none.json")).build())) {
            List<Container> sleepers = new ArrayList<>();
            try {
                for (int i = 0; i < 4; i++) {
                    sleepers.add(engine.containers().builder().image(image).command("sleep", "30").start());
                }
                long start = System.nanoTime();
                try (Container quick = engine.containers().builder().image(image).command("true").start()) {
                    assertThat(quick.waitFor(Duration.ofSeconds(10))).isZero();
                }
                Duration took = Duration.ofNanos(System.nanoTime() - start);
                System.out.println("quick container with 4 sleepers running: " + took.toMillis() + " ms");
                assertThat(took).isLessThan(Duration.ofSeconds(3));
            } finally {
                sleepers.forEach(Container::close);
            }
        }
    }
}
