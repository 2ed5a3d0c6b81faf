package dev.jcontainers.cli;

import dev.jcontainers.api.Container;
import dev.jcontainers.api.ContainerBuilder;
import dev.jcontainers.api.ContainerException;
import dev.jcontainers.api.Engine;
import picocli.CommandLine.Model.CommandSpec;

/** {@code jc create}: a detached container (it must outlive this CLI to be started later), not yet started. */
final class CreateCommand extends EngineCommand implements StopsAtImage {
    static final String NAME = "create";

    final ContainerOptions options = new ContainerOptions();

    /** A new {@code jc create}'s picocli model, declared in code (see {@link SpecBuilder}). */
    static CommandSpec spec() {
        CreateCommand create = new CreateCommand();
        CommandSpec spec = create.specInCode(NAME, "Create a new container.")
                .exitCodeOnInvalidInput(ExitCodes.ENGINE_ERROR).exitCodeOnExecutionException(ExitCodes.ENGINE_ERROR);
        create.options.addTo(spec);
        return spec;
    }

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
