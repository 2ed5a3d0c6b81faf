package dev.jcontainers.linux.launch;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs a helper binary with {@code --parse-only} on a plan from stdin. */
final class HelperProcess {
    private HelperProcess() {
    }

    record Result(int exitValue, String stderr, String stdout) {
    }

    static Result parseOnly(Path helper, byte[] plan, Map<String, String> env) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(List.of(helper.toString(), "--parse-only"));
        pb.environment().putAll(env);
        Process p = pb.start();
        try (OutputStream in = p.getOutputStream()) {
            in.write(plan);
        } catch (IOException e) {
            // the helper may refuse and exit before reading everything
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("helper hung on a plan of " + plan.length + " bytes");
        }
        return new Result(p.exitValue(), err, out);
    }

    /** The helper built by Maven into target/classes, extracted into {@code dir}. */
    static Path built(Path dir) {
        return LaunchHelperBinary.extract(dir);
    }
}
