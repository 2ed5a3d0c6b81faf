package dev.jcontainers.api;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A container's health ({@code State.Health} of {@code docker inspect}): its status, the number of
 * consecutive failed probes that counted, and the last probes, oldest first (at most {@link #MAX_LOG}).
 */
public record HealthStatus(State status, int failingStreak, List<Probe> log) {
    public static final int MAX_LOG = 5;

    public enum State {
        /** No probe has succeeded yet and failures have not reached the retries. */
        STARTING,
        HEALTHY,
        UNHEALTHY;

        /** Docker's spelling: {@code starting}, {@code healthy}, {@code unhealthy}. */
        public String dockerName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * One probe: its exit code (-1 when it timed out or could not run) and its stdout and stderr, cut to
     * 4 KiB as Docker does.
     */
    public record Probe(Instant start, Instant end, int exitCode, String output) {
        public Probe {
            Objects.requireNonNull(start, "start");
            Objects.requireNonNull(end, "end");
            output = output == null ? "" : output;
        }
    }

    public HealthStatus {
        Objects.requireNonNull(status, "status");
        log = log == null ? List.of() : List.copyOf(log);
    }
}
