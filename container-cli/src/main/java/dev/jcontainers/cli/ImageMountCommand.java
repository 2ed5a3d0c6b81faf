package dev.jcontainers.cli;

import dev.jcontainers.api.Engine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code jc image mount IMAGE}: mounts the image's merged layers read-only and prints the path (podman's verb). */
@Command(name = "mount", description = "Mount an image's file tree read-only and print the mount point.")
class ImageMountCommand extends EngineCommand {
    @Parameters(index = "0", paramLabel = "IMAGE")
    String image;

    @Override
    Integer run(Engine engine) {
        out().println(engine.images().mount(image));
        return 0;
    }
}
