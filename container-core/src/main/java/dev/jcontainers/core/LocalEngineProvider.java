package dev.jcontainers.core;

import dev.jcontainers.api.Engine;
import dev.jcontainers.api.EngineOptions;
import dev.jcontainers.api.spi.EngineProvider;

/** Registered with {@link java.util.ServiceLoader}; {@code Containers.engine()} finds it. */
public final class LocalEngineProvider implements EngineProvider {
    @Override
    public Engine open(EngineOptions options) {
        return new LocalEngine(options);
    }
}
