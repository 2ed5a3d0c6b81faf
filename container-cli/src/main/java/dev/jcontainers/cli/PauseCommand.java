package dev.jcontainers.cli;

import dev.jcontainers.api.Engine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.util.List;

@Command(name = "pause", description = "Pause all processes within one or more containers.")
class PauseCommand extends EngineCommand {
    @Parameters(arity = "1..*", paramLabel = "CONTAINER")
    List<String> containers;

    @Override
    Integer run(Engine engine) {
        return forEach(containers, c -> {
            engine.containers().get(c).pause();
            out().println(c);
        });
    }
}
