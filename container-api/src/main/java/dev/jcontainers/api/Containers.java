package dev.jcontainers.api;

import dev.jcontainers.api.spi.EngineProvider;

import java.util.ServiceLoader;

/** Entry point. The implementation is found with {@link ServiceLoader}, as JDBC drivers are. */
public final class Containers {
    private Containers() {
    }

    public static Engine engine() {
        return engine(EngineOptions.defaults());
    }

    public static Engine engine(EngineOptions options) {
        return provider().open(options);
    }

    private static EngineProvider provider() {
        return ServiceLoader.load(EngineProvider.class).findFirst()
                .orElseThrow(() -> new ContainerException(
                        "no jcontainers engine on the class path: add dev.jcontainers:container-core"));
    }
}
