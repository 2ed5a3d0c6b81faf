package dev.jcontainers.api;

import java.time.Instant;

/** One line a container wrote, with its stream and the time the engine received it. */
public record LogLine(Stream stream, Instant time, String text) {
    public enum Stream {
        STDOUT, STDERR
    }
}
