package dev.jcontainers.cli;

import dev.jcontainers.api.Engine;
import dev.jcontainers.api.FileChange;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "diff", description = "Inspect changes to files or directories on a container's filesystem.")
class DiffCommand extends EngineCommand {
    @Parameters(paramLabel = "CONTAINER")
    String container;

    @Override
    Integer run(Engine engine) {
        for (FileChange c : engine.containers().get(container).diff()) {
            out().println(c);
        }
        out().flush();
        return 0;
    }
}
