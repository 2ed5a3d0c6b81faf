package dev.jcontainers.cli;

import dev.jcontainers.api.Engine;
import dev.jcontainers.api.PruneResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code jc image ...}: Docker's image management group. */
@Command(name = "image", description = "Manage images.",
        subcommands = {PullCommand.class, ImageCommand.Ls.class, ImageCommand.Inspect.class, HistoryCommand.class,
                TagCommand.class, ImageCommand.Rm.class, ImageCommand.Prune.class, PushCommand.class,
                SaveCommand.class, LoadCommand.class, ImageMountCommand.class, ImageUnmountCommand.class,
                BuildFromDirCommand.class})
class ImageCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "ls", aliases = "list", description = "List images.")
    static final class Ls extends ImagesCommand {
    }

    @Command(name = "inspect", description = "Display detailed information on one or more images.")
    static final class Inspect extends AbstractInspectCommand {
        @Override
        java.util.Map<String, Object> inspect(Engine engine, String name) {
            return ImageJson.of(engine.images().inspect(name));
        }
    }

    @Command(name = "rm", aliases = "remove", description = "Remove one or more images.")
    static final class Rm extends RmiCommand {
    }

    @Command(name = "prune", description = "Remove dangling images and unreferenced blobs.")
    static final class Prune extends EngineCommand {
        @Option(names = {"-f", "--force"}, description = "Do not prompt for confirmation (there is no prompt).")
        boolean force;

        @Override
        Integer run(Engine engine) {
            PruneResult r = engine.images().prune();
            if (!r.removedImages().isEmpty()) {
                out().println("Deleted Images:");
                r.removedImages().forEach(id -> out().println("deleted: " + id));
            }
            if (!r.removedBlobs().isEmpty()) {
                out().println("Deleted Blobs: " + r.removedBlobs().size());
            }
            out().println("Total reclaimed space: " + Format.size(r.reclaimedBytes()));
            return 0;
        }
    }
}
