package dev.jcontainers.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs an external tool (skopeo, umoci, ...) with a timeout and captures its output. Output is
 * drained on background threads so a chatty tool can never block on a full pipe.
 */
public final class ExternalProcess {

    /** What a finished process left behind. */
    public record Result(List<String> command, int exitCode, String stdout, String stderr) {
        public boolean succeeded() {
            return exitCode == 0;
        }
    }

    /** Thrown when a tool exits non-zero or overruns its timeout; the message carries its stderr. */
    public static final class FailedException extends RuntimeException {
        private final Result result;

        FailedException(String message, Result result) {
            super(message);
            this.result = result;
        }

        /** The captured result; {@code exitCode} is -1 after a timeout. */
        public Result result() {
            return result;
        }
    }

    private ExternalProcess() {
    }

    /** Runs the command and returns its result whatever the exit code; throws only on timeout. */
    public static Result run(Duration timeout, List<String> command) {
        Process process;
        try {
            process = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command, e);
        }
        CompletableFuture<String> stdout = drain(process.getInputStream());
        CompletableFuture<String> stderr = drain(process.getErrorStream());
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                Result result = new Result(command, -1, stdout.getNow(""), stderr.getNow(""));
                throw new FailedException(
                        "timed out after " + timeout + ": " + String.join(" ", command) + "\n" + result.stderr(), result);
            }
            return new Result(command, process.exitValue(), stdout.join(), stderr.join());
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + command, e);
        }
    }

    /** Runs the command and throws {@link FailedException} (with stderr) unless it exits 0. */
    public static Result check(Duration timeout, List<String> command) {
        Result result = run(timeout, command);
        if (!result.succeeded()) {
            throw new FailedException("exit code " + result.exitCode() + ": " + String.join(" ", command)
                    + "\n" + result.stderr().strip(), result);
        }
        return result;
    }

    private static CompletableFuture<String> drain(InputStream in) {
        CompletableFuture<String> text = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try (in) {
                text.complete(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                text.complete("<output unreadable: " + e.getMessage() + ">");
            }
        });
        return text;
    }
}
