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

    /**
     * A container builder on the default engine (opened with {@link EngineOptions#defaults()} on first use
     * and kept for the life of the JVM).
     */
    public static ContainerBuilder builder() {
        return new ContainerBuilder(() -> DefaultEngine.INSTANCE.containers());
    }

    private static final class DefaultEngine {
        static final Engine INSTANCE = engine();
    }

    private static EngineProvider provider() {
        return ServiceLoader.load(EngineProvider.class).findFirst()
                .orElseThrow(() -> new ContainerException(
                        "no jcontainers engine on the class path: add dev.jcontainers:container-core"));
    }
}
