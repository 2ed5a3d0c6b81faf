package dev.jcontainers.api.spi;

import dev.jcontainers.api.Engine;
import dev.jcontainers.api.EngineOptions;

/** Implemented by the engine module and registered in {@code META-INF/services}. */
public interface EngineProvider {
    Engine open(EngineOptions options);
}
