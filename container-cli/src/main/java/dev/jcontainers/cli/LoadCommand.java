package dev.jcontainers.cli;

import dev.jcontainers.api.Engine;
import dev.jcontainers.oci.reference.ImageReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;

@Command(name = "load", description = "Load images from a docker save / OCI archive or an OCI layout directory.")
class LoadCommand extends EngineCommand {
    @Option(names = {"-i", "--input"}, paramLabel = "FILE", required = true,
            description = "Tar archive (optionally gzip-compressed) or OCI layout directory to read.")
    Path input;

    @Option(names = {"-q", "--quiet"}, description = "Suppress the load output.")
    boolean quiet;

    @Override
    Integer run(Engine engine) {
        for (String loaded : engine.images().load(input)) {
            if (!quiet) {
                out().println(loaded.startsWith("sha256:") ? "Loaded image ID: " + loaded
                        : "Loaded image: " + ImageReference.parse(loaded).familiar());
            }
        }
        return 0;
    }
}
