package dev.jcontainers.core.image;

import dev.jcontainers.api.EngineOptions;

import java.nio.file.Path;

/** Engine options for image tests: a store of the test's own, and no credentials from the user's docker config. */
final class TestEngines {
    private TestEngines() {
    }

    static EngineOptions.Builder isolated(Path root) {
        return EngineOptions.builder().root(root).dockerConfig(root.resolve("absent.json"));
    }
}
