package dev.jcontainers.linux.launch;

import java.time.Instant;

/**
 * How a container's process ended, in Docker's terms: {@code exitCode} is the exit status, or 128 plus the
 * signal that killed it (143 for SIGTERM, 137 for SIGKILL), and {@code signal} is that signal or 0.
 */
public record ExitStatus(int exitCode, int signal, Instant finishedAt) {
}
