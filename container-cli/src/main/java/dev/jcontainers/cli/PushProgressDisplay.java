package dev.jcontainers.cli;

import dev.jcontainers.api.LayerInfo;
import dev.jcontainers.api.PushListener;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Push progress as Docker shows it: {@code <id>: Pushed}, {@code Layer already exists} or
 * {@code Mounted from <repo>}. On a terminal the lines are redrawn in place (at most every 100 ms);
 * otherwise a line is printed only when a blob completes.
 */
final class PushProgressDisplay implements PushListener {
    private final PrintWriter out;
    private final boolean terminal;
    private final Map<String, String> lines = new LinkedHashMap<>();
    private int drawn;
    private long lastDraw;

    PushProgressDisplay(PrintWriter out, boolean terminal) {
        this.out = out;
        this.terminal = terminal;
    }

    @Override
    public synchronized void started(String target, String manifestDigest, List<LayerInfo> blobs) {
        out.println("The push refers to repository [" + target.substring(0, target.lastIndexOf(':')) + "]");
        // Docker lists layers, not the config; the config still goes up (first), silently.
        for (LayerInfo l : blobs.subList(1, blobs.size())) {
            lines.put(l.digest(), "Preparing");
        }
        redraw(true);
    }

    @Override
    public synchronized void progress(String digest, long done, long total) {
        if (lines.containsKey(digest)) {
            lines.put(digest, "Pushing  " + ProgressDisplay.bar(done, total) + " " + Format.size(done) + "/"
                    + Format.size(total));
            redraw(false);
        }
    }

    @Override
    public synchronized void retrying(String digest, int attempt, Throwable cause) {
        if (lines.containsKey(digest)) {
            lines.put(digest, "Retrying (attempt " + attempt + "): " + cause.getMessage());
            redraw(true);
        }
    }

    @Override
    public synchronized void blobDone(String digest, long size, Outcome outcome, String mountedFrom) {
        if (!lines.containsKey(digest)) {
            return;
        }
        String status = switch (outcome) {
            case PUSHED -> "Pushed";
            case ALREADY_EXISTS -> "Layer already exists";
            case MOUNTED -> "Mounted from " + mountedFrom;
        };
        lines.put(digest, status);
        if (terminal) {
            redraw(true);
        } else {
            out.println(Format.shortHex(digest) + ": " + status);
        }
    }

    private void redraw(boolean force) {
        if (!terminal) {
            return;
        }
        long now = System.nanoTime();
        if (!force && now - lastDraw < 100_000_000L) {
            return;
        }
        lastDraw = now;
        StringBuilder sb = new StringBuilder();
        if (drawn > 0) {
            sb.append("\033[").append(drawn).append('A');
        }
        for (Map.Entry<String, String> e : lines.entrySet()) {
            sb.append("\033[2K").append(Format.shortHex(e.getKey())).append(": ").append(e.getValue()).append('\n');
        }
        drawn = lines.size();
        out.print(sb);
        out.flush();
    }
}
