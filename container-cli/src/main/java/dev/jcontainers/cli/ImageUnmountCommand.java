package dev.jcontainers.cli;

import dev.jcontainers.api.Engine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.util.List;

/** {@code jc image unmount IMAGE...}: undoes {@code jc image mount}. */
@Command(name = "unmount", aliases = "umount", description = "Unmount images mounted with 'jc image mount'.")
class ImageUnmountCommand extends EngineCommand {
    @Parameters(arity = "1..*", paramLabel = "IMAGE")
    List<String> images;

    @Override
    Integer run(Engine engine) {
        for (String image : images) {
            engine.images().unmount(image);
            out().println(image);
        }
        return 0;
    }
}
