package dev.jcontainers.cli;

import dev.jcontainers.api.Engine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.List;

@Command(name = "rm", description = "Remove one or more containers.")
class RmCommand extends EngineCommand {
    @Parameters(arity = "1..*", paramLabel = "CONTAINER")
    List<String> containers;

    @Option(names = {"-f", "--force"}, description = "Force the removal of a running container (uses SIGKILL).")
    boolean force;

    @Option(names = {"-v", "--volumes"}, description = "Remove the container's anonymous volumes too.")
    boolean volumes;

    @Override
    Integer run(Engine engine) {
        return forEach(containers, c -> {
            engine.containers().get(c).remove(force, volumes);
            out().println(c);
        });
    }
}
