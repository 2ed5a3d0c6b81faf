package dev.jcontainers.cli;

import dev.jcontainers.api.LayerInfo;
import dev.jcontainers.api.PushListener;

import java.io.PrintWriter;
import java.util.List;

/**
 * Push progress as Docker shows it: {@code <id>: Pushed}, {@code Layer already exists} or
 * {@code Mounted from <repo>}.
 */
final class PushProgressDisplay implements PushListener {
    private final StatusLines lines;

    PushProgressDisplay(PrintWriter out, boolean terminal) {
        this.lines = new StatusLines(out, terminal);
    }

    @Override
    public synchronized void started(String target, String manifestDigest, List<LayerInfo> blobs) {
        lines.println("The push refers to repository [" + target.substring(0, target.lastIndexOf(':')) + "]");
        // Docker lists layers, not the config; the config still goes up (first), silently.
        for (LayerInfo l : blobs.subList(1, blobs.size())) {
            lines.update(l.digest(), "Preparing", true);
        }
    }

    @Override
    public synchronized void progress(String digest, long done, long total) {
        if (lines.has(digest)) {
            lines.update(digest, "Pushing  " + StatusLines.bar(done, total) + " " + Format.size(done) + "/"
                    + Format.size(total), false);
        }
    }

    @Override
    public synchronized void retrying(String digest, int attempt, Throwable cause) {
        if (lines.has(digest)) {
            lines.update(digest, "Retrying (attempt " + attempt + "): " + cause.getMessage(), true);
        }
    }

    @Override
    public synchronized void blobDone(String digest, long size, Outcome outcome, String mountedFrom) {
        if (lines.has(digest)) {
            lines.finish(digest, switch (outcome) {
                case PUSHED -> "Pushed";
                case ALREADY_EXISTS -> "Layer already exists";
                case MOUNTED -> "Mounted from " + mountedFrom;
            });
        }
    }
}
