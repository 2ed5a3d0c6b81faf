package dev.jcontainers.core.container;

import dev.jcontainers.core.LocalEngine;
import dev.jcontainers.testkit.RegistryServer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** What {@link RuntimeTest} injects, and that a {@code @Nested} class shares it rather than making its own. */
@RuntimeTest(repo = "extension/busybox")
class RuntimeExtensionTest {
    static LocalEngine engine;
    @RuntimeTest.Image
    static String image;
    @RuntimeTest.Root
    static Path root;

    @Test
    void injectsOneEngineOnTheRootAndTheImagePushedToTheClasssRegistry(LocalEngine engineParameter,
            @RuntimeTest.Image String imageParameter, @RuntimeTest.Root Path rootParameter, RegistryServer registry) {
        assertThat(engineParameter).isSameAs(engine);
        assertThat(imageParameter).isEqualTo(image).isEqualTo(registry.host() + "/extension/busybox:1");
        assertThat(rootParameter).isEqualTo(root);
        engine.images().pull(image);
        try (LocalEngine second = RuntimeFixture.engine(root)) { // the injected root is the engine's store
            assertThat(second.images().inspect(image)).isNotNull();
        }
    }

    @Nested
    class Inner {
        @Test
        void sharesTheEnclosingClasssRuntime(LocalEngine engineParameter, @RuntimeTest.Image String imageParameter) {
            assertThat(engineParameter).isSameAs(engine);
            assertThat(imageParameter).isEqualTo(image);
        }
    }
}
