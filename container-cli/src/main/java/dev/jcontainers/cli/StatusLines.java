package dev.jcontainers.cli;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One status line per blob, as Docker's pull and push show them. On a terminal the block is redrawn in
 * place (at most every 100 ms unless forced); otherwise only final states are printed, one line each, so
 * logs stay short.
 */
final class StatusLines {
    private static final long REDRAW_NANOS = 100_000_000L;
    private final PrintWriter out;
    private final boolean terminal;
    private final Map<String, String> lines = new LinkedHashMap<>();
    private int drawn;
    private long lastDraw;

    StatusLines(PrintWriter out, boolean terminal) {
        this.out = out;
        this.terminal = terminal;
    }

    boolean has(String digest) {
        return lines.containsKey(digest);
    }

    /** An intermediate state: shown only on a terminal. */
    void update(String digest, String status, boolean force) {
        lines.put(digest, status);
        redraw(force);
    }

    /** A final state: redrawn on a terminal, printed as a line otherwise. */
    void finish(String digest, String status) {
        lines.put(digest, status);
        if (terminal) {
            redraw(true);
        } else {
            out.println(Format.shortHex(digest) + ": " + status);
        }
    }

    void println(String line) {
        out.println(line);
    }

    private void redraw(boolean force) {
        if (!terminal) {
            return;
        }
        long now = System.nanoTime();
        if (!force && now - lastDraw < REDRAW_NANOS) {
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

    /** {@code [=====>    ]} for {@code done} of {@code total}. */
    static String bar(long done, long total) {
        int width = 30;
        int filled = total <= 0 ? 0 : (int) Math.min(width, done * width / total);
        return "[" + "=".repeat(Math.max(0, filled - 1)) + (filled > 0 ? ">" : "") + " ".repeat(width - filled) + "]";
    }
}
