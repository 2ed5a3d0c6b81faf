package dev.jcontainers.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jcontainers.api.DataSize;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** What the side-by-side benchmarks share: statistics, running the anchor tools, cleaning up. */
final class BenchSupport {
    private static final long PROCESS_TIMEOUT_SECONDS = 300;
    private static final ObjectMapper JSON = new ObjectMapper();

    private BenchSupport() {
    }

    static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    /** Nearest-rank percentile. */
    static double percentile(List<Double> values, double p) {
        List<Double> sorted = values.stream().sorted().toList();
        int rank = (int) Math.ceil(p * sorted.size());
        return sorted.get(Math.max(0, rank - 1));
    }

    static double seconds(long nanos) {
        return nanos / 1e9;
    }

    /** Runs a tool to completion (stdin from /dev/null); its output is shown only when it fails. */
    static void exec(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
            byte[] output = p.getInputStream().readAllBytes();
            if (!p.waitFor(PROCESS_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("timed out: " + command);
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException("exit " + p.exitValue() + ": " + String.join(" ", command) + "\n"
                        + new String(output));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Deletes a tree, reporting (not failing on) what cannot be deleted: cleanup after the measurements. */
    static void deleteTreeQuietly(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            System.err.println("could not delete " + dir + ": " + e.getMessage());
        }
    }

    /** The host's load average, for the report's header and progress lines. */
    static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).strip();
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** {@code runc spec} edited to our containers' shape: same namespaces (no user ns), memory limit, {@code args}. */
    static void writeRuncConfig(Path bundle, DataSize memory, String... args) throws IOException {
        exec(List.of("runc", "spec", "--bundle", bundle.toString()));
        Path file = bundle.resolve("config.json");
        ObjectNode config = (ObjectNode) JSON.readTree(file.toFile());
        ObjectNode process = (ObjectNode) config.get("process");
        process.put("terminal", false);
        ArrayNode argv = process.putArray("args");
        for (String arg : args) {
            argv.add(arg);
        }
        ((ObjectNode) config.get("root")).put("readonly", false);
        ObjectNode linux = (ObjectNode) config.get("linux");
        ArrayNode namespaces = linux.putArray("namespaces");
        for (String ns : List.of("pid", "network", "ipc", "uts", "mount", "cgroup")) {
            namespaces.addObject().put("type", ns);
        }
        ((ObjectNode) linux.get("resources")).putObject("memory").put("limit", memory.bytes());
        JSON.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), config);
    }
}
