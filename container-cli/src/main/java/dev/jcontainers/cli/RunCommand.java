package dev.jcontainers.cli;

import dev.jcontainers.api.AttachedProcess;
import dev.jcontainers.api.Container;
import dev.jcontainers.api.ContainerBuilder;
import dev.jcontainers.api.ContainerException;
import dev.jcontainers.api.Engine;
import dev.jcontainers.api.EngineOptions.LaunchPreparation;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code jc run}. In the foreground the container is a sandbox of this CLI process: its output streams to
 * the terminal, {@code jc run} exits with its exit code, and if the CLI dies (Ctrl-C, {@code kill -9}) the
 * container dies with it. Once it has exited it is kept, as Docker keeps it, unless {@code --rm}. With
 * {@code -d} the container is detached: it outlives the CLI and later {@code jc} commands control it. With
 * {@code -i} and/or {@code -t} in the foreground the CLI is attached to the container's streams (or terminal).
 */
final class RunCommand extends EngineCommand implements StopsAtImage {
    static final String NAME = "run";

    final ContainerOptions options = new ContainerOptions();
    boolean detach;

    /** A new {@code jc run}'s picocli model, declared in code (see {@link SpecBuilder}). */
    static CommandSpec spec() {
        RunCommand run = new RunCommand();
        CommandSpec spec = run.specInCode(NAME, "Create and run a new container from an image.")
                .exitCodeOnInvalidInput(ExitCodes.ENGINE_ERROR).exitCodeOnExecutionException(ExitCodes.ENGINE_ERROR);
        run.options.addTo(spec);
        new SpecBuilder(spec).option("-d", "--detach")
                .description("Run in the background (the container outlives jc) and print its ID.")
                .flag(() -> run.detach, v -> run.detach = v);
        return spec;
    }

    /** A sandbox whose output the CLI follows through its log: what a prepared helper serves (not -d, -i, -t). */
    @Override
    LaunchPreparation launchPreparation() {
        return detach || options.interactive || options.tty ? LaunchPreparation.NONE : LaunchPreparation.ONCE;
    }

    @Override
    Integer run(Engine engine) {
        ContainerBuilder builder;
        Container container;
        try {
            builder = options.toBuilder(engine.containers());
            if (detach) {
                builder.detached();
                if (options.autoRemove) {
                    builder.autoRemove();
                }
            }
            container = builder.create();
        } catch (ContainerException | IllegalArgumentException e) {
            return error(e, ExitCodes.ENGINE_ERROR);
        }
        AttachedProcess attached = null;
        try {
            if (!detach && (options.interactive || options.tty)) {
                var size = Interactive.initialSize();
                attached = container.startAttached(size.rows(), size.cols());
            } else {
                container.start();
            }
        } catch (ContainerException e) {
            // As Docker, a container whose command cannot start stays behind in "created", unless --rm.
            if (options.autoRemove) {
                container.remove(true);
            } else if (!detach) {
                container.detach();
            }
            return error(e, ExitCodes.ofStartFailure(e));
        }
        if (detach) {
            out().println(container.id());
            return 0;
        }
        try {
            if (attached != null) {
                try (AttachedProcess process = attached) {
                    return Interactive.relay(process, options.interactive, in(), out(), err());
                }
            }
            return Attach.streamUntilExit(container, out(), err());
        } finally {
            if (options.autoRemove) {
                container.remove(true);
            } else {
                container.detach();
            }
        }
    }
}
