package dev.jcontainers.cli;

import dev.jcontainers.api.Engine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "tag", description = "Create a tag TARGET_IMAGE that refers to SOURCE_IMAGE.")
class TagCommand extends EngineCommand {
    @Parameters(index = "0", paramLabel = "SOURCE_IMAGE[:TAG]")
    String source;

    @Parameters(index = "1", paramLabel = "TARGET_IMAGE[:TAG]")
    String target;

    @Override
    Integer run(Engine engine) {
        engine.images().tag(source, target);
        return 0;
    }
}
