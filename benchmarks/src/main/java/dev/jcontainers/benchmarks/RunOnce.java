package dev.jcontainers.benchmarks;

import dev.jcontainers.api.Container;
import dev.jcontainers.api.EngineOptions;
import dev.jcontainers.api.NetworkMode;
import dev.jcontainers.core.LocalEngine;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;

/**
 * The lean path of a {@code jc run --rm IMAGE CMD...} in a fresh JVM, through the public API only: open the
 * engine on an existing root, create and start one container (own namespaces, no network), wait, remove.
 * {@link RunBenchmark} times it as the cold-JVM contender while the CLI has no {@code run} command.
 *
 * <p>Usage: {@code RunOnce ROOT IMAGE CMD...}; exits with the container's exit code.
 */
public final class RunOnce {
    private RunOnce() {
    }

    public static void main(String[] args) {
        if (args.length < 3) {
            System.err.println("usage: RunOnce ROOT IMAGE CMD...");
            System.exit(2);
        }
        int exit;
        try (LocalEngine engine = new LocalEngine(EngineOptions.builder().root(Path.of(args[0])).dockerConfig(null).build());
             Container c = engine.containers().builder().image(args[1]).network(NetworkMode.none())
                     .command(Arrays.copyOfRange(args, 2, args.length)).start()) {
            exit = c.waitFor(Duration.ofSeconds(60));
        }
        System.exit(exit);
    }
}
