package dev.jcontainers.cli;

import dev.jcontainers.api.Engine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.util.List;

@Command(name = "wait", description = "Block until one or more containers stop, then print their exit codes.")
class WaitCommand extends EngineCommand {
    @Parameters(arity = "1..*", paramLabel = "CONTAINER")
    List<String> containers;

    @Override
    Integer run(Engine engine) {
        return forEach(containers, c -> {
            out().println(engine.containers().get(c).waitFor());
            out().flush();
        });
    }
}
