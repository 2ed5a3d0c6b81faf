package dev.jcontainers.cli;

import dev.jcontainers.api.Engine;
import dev.jcontainers.api.ImageSummary;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "commit", description = "Create a new image from a container's changes.")
class CommitCommand extends EngineCommand {
    @Parameters(index = "0", paramLabel = "CONTAINER")
    String container;

    @Parameters(index = "1", paramLabel = "REPOSITORY[:TAG]")
    String reference;

    @Option(names = {"-m", "--message"}, description = "Commit message (goes into the image's history).")
    String message;

    @Override
    Integer run(Engine engine) {
        ImageSummary image = engine.containers().get(container).commit(reference, message);
        out().println(image.id());
        return 0;
    }
}
