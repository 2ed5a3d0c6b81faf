package dev.jcontainers.core.container;

import dev.jcontainers.api.Container;
import dev.jcontainers.api.ContainerBuilder;
import dev.jcontainers.api.EngineOptions;
import dev.jcontainers.core.LocalEngine;

import java.nio.file.Path;

/**
 * The other JVM of {@link ContainerLifetimeTest}: opens an engine on a shared root, starts one container of
 * an already pulled image, prints its id and pid, then either waits to be killed ({@code sandbox}) or exits
 * normally ({@code detached}).
 *
 * <p>Arguments: {@code sandbox|detached root image command...}
 */
public final class ContainerLifetimeChild {
    private ContainerLifetimeChild() {
    }

    public static void main(String[] args) throws Exception {
        boolean detached = args[0].equals("detached");
        Path root = Path.of(args[1]);
        LocalEngine engine = new LocalEngine(EngineOptions.builder().root(root).dockerConfig(root.resolve("none.json")).build());
        ContainerBuilder builder = engine.containers().builder().image(args[2])
                .command(java.util.Arrays.asList(args).subList(3, args.length));
        if (detached) {
            builder.detached();
        }
        Container c = builder.start();
        System.out.println(c.id() + " " + c.inspect().pid());
        System.out.flush();
        if (detached) {
            engine.close();
            return;
        }
        Thread.sleep(Long.MAX_VALUE);
    }
}
