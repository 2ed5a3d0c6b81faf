package dev.jcontainers.api;

import java.util.Objects;

/**
 * The outcome of {@link Container#exec}: the process's exit code (128 + signal when a signal killed it) and
 * what it wrote to stdout and stderr, decoded as UTF-8.
 */
public record ExecResult(int exitCode, String stdout, String stderr) {
    public ExecResult {
        Objects.requireNonNull(stdout, "stdout");
        Objects.requireNonNull(stderr, "stderr");
    }

    /** Exit code 0. */
    public boolean succeeded() {
        return exitCode == 0;
    }
}
