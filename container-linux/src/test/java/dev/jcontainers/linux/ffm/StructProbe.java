package dev.jcontainers.linux.ffm;

import dev.jcontainers.testkit.Requirements;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Compiles a C probe ({@code src/test/c/probe_<family>.c}) with gcc into a temporary directory, runs
 * it and returns its {@code key=value} lines: what the C compiler says the sizes, offsets and constants
 * are, to compare with the Java layouts. Keys by convention: {@code sizeof.<struct>},
 * {@code offsetof.<struct>.<field>}, {@code const.<NAME>}.
 */
public final class StructProbe {
    /** Where the probes live, relative to the module directory (surefire's working directory). */
    public static final Path PROBE_DIR = Path.of("src/test/c");

    private StructProbe() {
    }

    public static Map<String, Long> run(String probeFileName) {
        return run(PROBE_DIR.resolve(probeFileName));
    }

    public static Map<String, Long> run(Path source) {
        Path gcc = Requirements.requireTool("gcc");
        Path dir = null;
        try {
            dir = Files.createTempDirectory("jc-probe");
            Path binary = dir.resolve("probe");
            exec(List.of(gcc.toString(), "-std=c11", "-Wall", "-Wextra", "-Werror", "-o", binary.toString(),
                    source.toAbsolutePath().toString()), dir);
            return parse(exec(List.of(binary.toString()), dir));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            deleteTree(dir);
        }
    }

    static Map<String, Long> parse(String output) {
        Map<String, Long> values = new LinkedHashMap<>();
        for (String line : output.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            int eq = line.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("probe line is not key=value: " + line);
            }
            values.put(line.substring(0, eq).trim(), Long.parseLong(line.substring(eq + 1).trim()));
        }
        return values;
    }

    private static String exec(List<String> command, Path dir) throws IOException {
        Path out = dir.resolve("out.txt");
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(out.toFile()).start();
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
                throw new IllegalStateException("timed out: " + command);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: " + command, e);
        }
        String output = Files.readString(out, StandardCharsets.UTF_8);
        Files.delete(out);
        if (process.exitValue() != 0) {
            throw new IllegalStateException(command + " exited " + process.exitValue() + ":\n" + output);
        }
        return output;
    }

    private static void deleteTree(Path dir) {
        if (dir == null) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
