package dev.jcontainers.cli;

import dev.jcontainers.api.LayerInfo;
import dev.jcontainers.api.PullListener;

import java.io.PrintWriter;
import java.util.List;

/** Pull progress as Docker shows it: {@code <id>: Downloading [==>  ] 1.2MB/4MB}, then {@code Pull complete}. */
final class ProgressDisplay implements PullListener {
    private final StatusLines lines;

    ProgressDisplay(PrintWriter out, boolean terminal) {
        this.lines = new StatusLines(out, terminal);
    }

    @Override
    public synchronized void resolved(String reference, String manifestDigest, List<LayerInfo> layers) {
        for (LayerInfo l : layers) {
            lines.update(l.digest(), "Waiting", false);
        }
        lines.update(layers.getFirst().digest(), "Waiting", true);
    }

    @Override
    public synchronized void progress(String digest, long done, long total) {
        lines.update(digest, "Downloading  " + StatusLines.bar(done, total) + " " + Format.size(done) + "/"
                + Format.size(total), false);
    }

    @Override
    public synchronized void retrying(String digest, int attempt, Throwable cause) {
        lines.update(digest, "Retrying (attempt " + attempt + "): " + cause.getMessage(), true);
    }

    @Override
    public synchronized void blobDone(String digest, long size, boolean alreadyPresent) {
        lines.finish(digest, alreadyPresent ? "Already exists" : "Pull complete");
    }
}
