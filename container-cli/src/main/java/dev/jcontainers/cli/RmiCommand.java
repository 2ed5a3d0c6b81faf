package dev.jcontainers.cli;

import dev.jcontainers.api.ContainerException;
import dev.jcontainers.api.Engine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.List;

@Command(name = "rmi", description = "Remove one or more images.")
class RmiCommand extends EngineCommand {
    @Parameters(arity = "1..*", paramLabel = "IMAGE")
    List<String> images;

    @Option(names = {"-f", "--force"}, description = "Force removal of the image.")
    boolean force;

    @Override
    Integer run(Engine engine) {
        int code = 0;
        for (String image : images) {
            try {
                engine.images().remove(image, force).forEach(out()::println);
            } catch (ContainerException e) {
                spec.commandLine().getErr().println("Error: " + e.getMessage());
                code = 1;
            }
        }
        return code;
    }
}
