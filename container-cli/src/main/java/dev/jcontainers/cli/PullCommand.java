package dev.jcontainers.cli;

import dev.jcontainers.api.Engine;
import dev.jcontainers.api.ImageSummary;
import dev.jcontainers.api.Platform;
import dev.jcontainers.api.PullListener;
import dev.jcontainers.api.PullOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "pull", description = "Download an image from a registry.")
class PullCommand extends EngineCommand {
    @Parameters(paramLabel = "NAME[:TAG|@DIGEST]")
    String reference;

    @Option(names = {"-q", "--quiet"}, description = "Suppress verbose output.")
    boolean quiet;

    @Option(names = "--platform", description = "Platform os/arch[/variant] (default: the host's).")
    String platform;

    @Override
    Integer run(Engine engine) {
        PullListener listener = quiet ? PullListener.NONE
                : new ProgressDisplay(out(), System.console() != null && System.console().isTerminal());
        PullOptions options = PullOptions.defaults().withListener(listener);
        if (platform != null) {
            options = options.withPlatform(Platform.parse(platform));
        }
        ImageSummary image = engine.images().pull(reference, options);
        if (!quiet) {
            image.repoDigests().stream().findFirst()
                    .ifPresent(d -> out().println("Digest: " + d.substring(d.indexOf('@') + 1)));
            out().println("Status: Image is up to date for " + reference);
        }
        out().println(image.repoTags().isEmpty() ? reference : image.repoTags().getFirst());
        return 0;
    }
}
