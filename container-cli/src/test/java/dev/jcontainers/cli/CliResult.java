package dev.jcontainers.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** One {@code jc} command line run in-process on an engine root: its exit code and what it printed. */
record CliResult(int code, String out, String err) {
    static CliResult run(Path root, String... args) {
        return runWithInput(root, "", args);
    }

    /** As {@link #run}, with {@code input} as the command's stdin (what {@code -i} forwards). */
    static CliResult runWithInput(Path root, String input, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        List<String> all = new ArrayList<>(List.of("--root", root.toString()));
        all.addAll(List.of(args));
        int code = Jc.run(all.toArray(String[]::new), new java.io.ByteArrayInputStream(
                input.getBytes(java.nio.charset.StandardCharsets.UTF_8)), new PrintWriter(out), new PrintWriter(err));
        return new CliResult(code, out.toString(), err.toString());
    }
}
