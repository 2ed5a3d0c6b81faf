package dev.jcontainers.cli;

import dev.jcontainers.api.Engine;
import dev.jcontainers.api.ImageNotFoundException;
import dev.jcontainers.api.ImageSummary;
import dev.jcontainers.api.PushListener;
import dev.jcontainers.api.PushOptions;
import dev.jcontainers.api.PushResult;
import dev.jcontainers.api.InvalidReferenceException;
import dev.jcontainers.oci.reference.ImageReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.ArrayList;
import java.util.List;

@Command(name = "push", description = "Upload an image to a registry.")
class PushCommand extends EngineCommand {
    @Parameters(paramLabel = "NAME[:TAG]")
    String reference;

    @Option(names = {"-a", "--all-tags"}, description = "Push all local tags of the repository NAME.")
    boolean allTags;

    @Option(names = {"-q", "--quiet"}, description = "Suppress verbose output.")
    boolean quiet;

    @Override
    Integer run(Engine engine) {
        PushListener listener = quiet ? PushListener.NONE
                : new PushProgressDisplay(out(), System.console() != null && System.console().isTerminal());
        for (String tag : targets(engine)) {
            PushResult result = engine.images().push(tag, tag, PushOptions.defaults().withListener(listener));
            String shown = result.reference().substring(result.reference().lastIndexOf(':') + 1);
            if (quiet) {
                out().println(result.reference());
            } else {
                out().println(shown + ": digest: " + result.digest() + " size: " + result.size());
            }
        }
        return 0;
    }

    /** The one reference, or with --all-tags every local tag of its repository (Docker's order: as listed). */
    private List<String> targets(Engine engine) {
        if (!allTags) {
            return List.of(reference);
        }
        ImageReference named = ImageReference.parse(reference);
        if (named.isDigested() || reference.substring(reference.lastIndexOf('/') + 1).contains(":")) {
            throw new InvalidReferenceException(reference, "tag can't be used with --all-tags/-a");
        }
        List<String> tags = new ArrayList<>();
        for (ImageSummary image : engine.images().list()) {
            for (String tag : image.repoTags()) {
                if (ImageReference.parse(tag).name().equals(named.name())) {
                    tags.add(tag);
                }
            }
        }
        if (tags.isEmpty()) {
            throw new ImageNotFoundException("An image does not exist locally with the tag: " + reference);
        }
        return tags;
    }
}
