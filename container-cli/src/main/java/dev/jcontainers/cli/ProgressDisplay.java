package dev.jcontainers.cli;

import dev.jcontainers.api.LayerInfo;
import dev.jcontainers.api.PullListener;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Pull progress as Docker shows it: one line per blob. On a terminal the lines are redrawn in place
 * (at most every 100 ms); otherwise a line is printed only when a blob completes, so logs stay short.
 */
final class ProgressDisplay implements PullListener {
    private final PrintWriter out;
    private final boolean terminal;
    private final Map<String, String> lines = new LinkedHashMap<>();
    private int drawn;
    private long lastDraw;

    ProgressDisplay(PrintWriter out, boolean terminal) {
        this.out = out;
        this.terminal = terminal;
    }

    @Override
    public synchronized void resolved(String reference, String manifestDigest, List<LayerInfo> layers) {
        for (LayerInfo l : layers) {
            lines.put(l.digest(), "Waiting");
        }
        redraw(true);
    }

    @Override
    public synchronized void progress(String digest, long done, long total) {
        lines.put(digest, "Downloading  " + bar(done, total) + " " + Format.size(done) + "/" + Format.size(total));
        redraw(false);
    }

    @Override
    public synchronized void retrying(String digest, int attempt, Throwable cause) {
        lines.put(digest, "Retrying (attempt " + attempt + "): " + cause.getMessage());
        redraw(true);
    }

    @Override
    public synchronized void blobDone(String digest, long size, boolean alreadyPresent) {
        String status = alreadyPresent ? "Already exists" : "Pull complete";
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

    static String bar(long done, long total) {
        int width = 30;
        int filled = total <= 0 ? 0 : (int) Math.min(width, done * width / total);
        return "[" + "=".repeat(Math.max(0, filled - 1)) + (filled > 0 ? ">" : "") + " ".repeat(width - filled) + "]";
    }
}
