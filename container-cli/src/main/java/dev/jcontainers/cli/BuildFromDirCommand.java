package dev.jcontainers.cli;

import dev.jcontainers.api.Engine;
import dev.jcontainers.api.ImageBuilder;
import dev.jcontainers.api.ImageSummary;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code jc image build-from-dir --from BASE|scratch -t NAME DIR...}: each directory becomes one layer on top
 * of the base, with config changes from the options (the subset of a Dockerfile that needs no RUN).
 */
@Command(name = "build-from-dir", description = "Build an image from a base (or scratch) and directories as layers.")
class BuildFromDirCommand extends EngineCommand {
    @Option(names = "--from", required = true, paramLabel = "BASE", description = "Base image, or 'scratch'.")
    String from;

    @Option(names = {"-t", "--tag"}, required = true, paramLabel = "NAME", description = "Name of the new image (repeatable).")
    List<String> tags = new ArrayList<>();

    @Option(names = {"-e", "--env"}, paramLabel = "KEY=VALUE", description = "Set an environment variable.")
    Map<String, String> env = Map.of();

    @Option(names = {"-l", "--label"}, paramLabel = "KEY=VALUE", description = "Set a label.")
    Map<String, String> labels = Map.of();

    @Option(names = "--cmd", paramLabel = "CMD",
            description = "Default command: a JSON array (exec form) or words split at spaces.")
    String cmd;

    @Option(names = "--entrypoint", paramLabel = "CMD",
            description = "Entrypoint: a JSON array (exec form) or words split at spaces.")
    String entrypoint;

    @Option(names = {"-w", "--workdir"}, paramLabel = "DIR", description = "Working directory.")
    String workdir;

    @Option(names = {"-u", "--user"}, paramLabel = "USER[:GROUP]", description = "Default user.")
    String user;

    @Option(names = "--expose", paramLabel = "PORT[/PROTO]", description = "Expose a port (repeatable).")
    List<String> expose = List.of();

    @Option(names = {"-v", "--volume"}, paramLabel = "PATH", description = "Declare a volume (repeatable).")
    List<String> volumes = List.of();

    @Parameters(arity = "0..*", paramLabel = "DIR", description = "Directories, each packed as one layer, bottom first.")
    List<Path> dirs = List.of();

    @Override
    Integer run(Engine engine) {
        ImageBuilder builder = from.equals("scratch") ? engine.images().buildFromScratch()
                : engine.images().buildFrom(from);
        dirs.forEach(builder::addLayer);
        env.forEach(builder::env);
        labels.forEach(builder::label);
        if (cmd != null) {
            builder.cmd(words(cmd));
        }
        if (entrypoint != null) {
            builder.entrypoint(words(entrypoint));
        }
        if (workdir != null) {
            builder.workingDir(workdir);
        }
        if (user != null) {
            builder.user(user);
        }
        expose.forEach(builder::exposePort);
        volumes.forEach(builder::volume);
        tags.forEach(builder::tag);
        ImageSummary built = builder.build();
        out().println(built.id());
        return 0;
    }

    /** {@code ["sh","-c","echo hi"]} as JSON, as a Dockerfile's exec form, else whitespace-separated words. */
    static List<String> words(String command) {
        String trimmed = command.strip();
        if (trimmed.startsWith("[")) {
            try {
                return List.of(new ObjectMapper().readValue(trimmed, String[].class));
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException(
                        "not a JSON array of strings: " + command);
            }
        }
        return trimmed.isEmpty() ? List.of() : List.of(trimmed.split("\\s+"));
    }
}
