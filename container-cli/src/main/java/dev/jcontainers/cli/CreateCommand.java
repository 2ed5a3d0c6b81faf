package dev.jcontainers.cli;

import dev.jcontainers.api.Container;
import dev.jcontainers.api.ContainerBuilder;
import dev.jcontainers.api.ContainerException;
import dev.jcontainers.api.Engine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code jc create}: a detached container (it must outlive this CLI to be started later), not yet started. */
@Command(name = "create", description = "Create a new container.",
        exitCodeOnInvalidInput = ExitCodes.ENGINE_ERROR, exitCodeOnExecutionException = ExitCodes.ENGINE_ERROR)
class CreateCommand extends EngineCommand implements StopsAtImage {
    @Mixin
    ContainerOptions options;

    @Override
    Integer run(Engine engine) {
        try {
            ContainerBuilder builder = options.toBuilder(engine.containers()).detached();
            if (options.autoRemove) {
                builder.autoRemove();
            }
            Container container = builder.create();
            out().println(container.id());
            return 0;
        } catch (ContainerException | IllegalArgumentException e) {
            return error(e, ExitCodes.ENGINE_ERROR);
        }
    }
}
