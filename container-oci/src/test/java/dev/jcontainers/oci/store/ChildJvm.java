package dev.jcontainers.oci.store;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A second JVM running {@link StoreWorker} on the test classpath; always killed on close. */
final class ChildJvm implements AutoCloseable {
    private final Process process;
    private final BufferedReader stdout;
    private final Writer stdin;

    private ChildJvm(Process process) {
        this.process = process;
        this.stdout = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
    }

    static ChildJvm start(Path stderrLog, String... args) throws IOException {
        String java = ProcessHandle.current().info().command().orElseThrow();
        List<String> command = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
                StoreWorker.class.getName()));
        command.addAll(List.of(args));
        return new ChildJvm(new ProcessBuilder(command)
                .redirectError(stderrLog.toFile())
                .start());
    }

    /** Blocks until the child prints {@code line}; fails if it exits first. */
    void awaitLine(String line) throws IOException {
        String got;
        while ((got = stdout.readLine()) != null) {
            if (got.equals(line)) {
                return;
            }
        }
        throw new IllegalStateException("child exited without printing " + line);
    }

    void sendLine(String line) throws IOException {
        stdin.write(line + "\n");
        stdin.flush();
    }

    /** Waits for the exit code, killing the child after {@code seconds}. */
    int waitFor(int seconds) throws InterruptedException {
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("child JVM did not finish within " + seconds + "s");
        }
        return process.exitValue();
    }

    @Override
    public void close() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }
}
