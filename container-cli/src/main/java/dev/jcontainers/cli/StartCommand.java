package dev.jcontainers.cli;

import dev.jcontainers.api.AttachedProcess;
import dev.jcontainers.api.Container;
import dev.jcontainers.api.ContainerException;
import dev.jcontainers.api.Engine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.List;

@Command(name = "start", description = "Start one or more stopped containers.")
class StartCommand extends EngineCommand {
    @Parameters(arity = "1..*", paramLabel = "CONTAINER")
    List<String> containers;

    @Option(names = {"-a", "--attach"}, description = "Attach stdout/stderr and exit with the container's code.")
    boolean attach;

    @Option(names = {"-i", "--interactive"}, description = "Attach the container's STDIN (and its terminal, with -t).")
    boolean interactive;

    @Override
    Integer run(Engine engine) {
        if (!attach && !interactive) {
            return forEach(containers, c -> {
                engine.containers().get(c).start();
                out().println(c);
            });
        }
        if (containers.size() != 1) {
            return error(new IllegalArgumentException("you cannot start and attach multiple containers at once"), 1);
        }
        Container container;
        AttachedProcess attached = null;
        try {
            container = engine.containers().get(containers.getFirst());
            if (interactive) {
                var size = Interactive.initialSize();
                attached = container.startAttached(size.rows(), size.cols());
            } else {
                container.start();
            }
        } catch (ContainerException e) {
            return error(e, ExitCodes.ofStartFailure(e));
        }
        if (attached != null) {
            try (AttachedProcess process = attached) {
                return Interactive.relay(process, true, in(), out(), err());
            }
        }
        return Attach.streamUntilExit(container, out(), err());
    }
}
