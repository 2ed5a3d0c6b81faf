package dev.jcontainers.cli;

import dev.jcontainers.api.Engine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.List;

@Command(name = "save", description = "Save one or more images to a tar archive (streamed to STDOUT by default).")
class SaveCommand extends EngineCommand {
    @Parameters(paramLabel = "IMAGE", arity = "1..*")
    List<String> images;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write to a file, instead of STDOUT.")
    Path output;

    @Override
    Integer run(Engine engine) throws Exception {
        if (output != null) {
            engine.images().save(images, output);
            return 0;
        }
        if (System.console() != null && System.console().isTerminal()) {
            throw new IllegalArgumentException("cowardly refusing to save to a terminal. Use the -o flag or"
                    + " redirect");
        }
        OutputStream stdout = new BufferedOutputStream(System.out);
        engine.images().save(images, stdout);
        stdout.flush();
        return 0;
    }
}
