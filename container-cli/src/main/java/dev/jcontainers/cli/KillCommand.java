package dev.jcontainers.cli;

import dev.jcontainers.api.Engine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.List;

@Command(name = "kill", description = "Kill one or more running containers.")
class KillCommand extends EngineCommand {
    @Parameters(arity = "1..*", paramLabel = "CONTAINER")
    List<String> containers;

    @Option(names = {"-s", "--signal"}, defaultValue = "KILL", description = "Signal to send (default: ${DEFAULT-VALUE}).")
    String signal;

    @Override
    Integer run(Engine engine) {
        return forEach(containers, c -> {
            engine.containers().get(c).kill(signal);
            out().println(c);
        });
    }
}
