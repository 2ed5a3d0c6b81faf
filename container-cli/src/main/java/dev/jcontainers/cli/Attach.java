package dev.jcontainers.cli;

import dev.jcontainers.api.Container;
import dev.jcontainers.api.ContainerLogs;
import dev.jcontainers.api.LogLine;

import java.io.PrintWriter;

/**
 * Attaches the terminal to a running container: its stdout and stderr are copied to ours as the engine
 * records them, until it exits and every line is delivered.
 */
final class Attach {
    private Attach() {
    }

    /** Streams the output and returns the container's exit code. */
    static int streamUntilExit(Container container, PrintWriter out, PrintWriter err) {
        try (ContainerLogs.Following following = container.logs().follow(line -> write(line, out, err))) {
            int code = container.waitFor();
            following.await();
            return code;
        } finally {
            out.flush();
            err.flush();
        }
    }

    private static void write(LogLine line, PrintWriter out, PrintWriter err) {
        PrintWriter to = line.stream() == LogLine.Stream.STDERR ? err : out;
        synchronized (to) {
            to.print(line.text());
            to.flush();
        }
    }
}
