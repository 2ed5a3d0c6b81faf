package dev.jcontainers.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Preconditions of tests that need tools, root or kernel features. Locally a missing precondition
 * skips the test with a printed reason; under {@code CI=true} it fails the test, so the CI suite
 * can never pass by silently skipping what it was meant to exercise.
 */
public final class Requirements {

    private static final List<Path> EXTRA_TOOL_DIRS = List.of(Path.of("/usr/sbin"), Path.of("/sbin"));

    private Requirements() {
    }

    /** True when the environment says this is a CI run ({@code CI=true}). */
    public static boolean isCi() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    /** Requires an executable on the PATH (or in /usr/sbin, /sbin) and returns its location. */
    public static Path requireTool(String name) {
        Optional<Path> found = findTool(name);
        require(found.isPresent(), "tool '" + name + "' is not installed (not on PATH)");
        return found.orElseThrow();
    }

    /** Requires the test JVM to run as uid 0. */
    public static void requireRoot() {
        require(isRoot(), "test needs root (running as uid " + currentUid() + ")");
    }

    /** Requires a file or directory to exist. */
    public static Path requireFile(Path path) {
        require(Files.exists(path), "required file " + path + " does not exist");
        return path;
    }

    /** The general form: aborts (or fails under CI) with {@code reason} unless {@code condition} holds. */
    public static void require(boolean condition, String reason) {
        if (condition) {
            return;
        }
        String caller = StackWalker.getInstance().walk(frames -> frames
                .filter(f -> !f.getClassName().equals(Requirements.class.getName()))
                .findFirst().map(f -> f.getClassName() + "." + f.getMethodName()).orElse("?"));
        if (isCi()) {
            System.err.println("[requirements] FAIL (CI=true) " + caller + ": " + reason);
            Assertions.fail("requirement not met under CI=true: " + reason);
        }
        System.err.println("[requirements] SKIP " + caller + ": " + reason);
        Assumptions.abort(reason);
    }

    public static Optional<Path> findTool(String name) {
        List<Path> dirs = new ArrayList<>();
        String path = System.getenv("PATH");
        if (path != null) {
            for (String dir : path.split(":")) {
                if (!dir.isEmpty()) {
                    dirs.add(Path.of(dir));
                }
            }
        }
        dirs.addAll(EXTRA_TOOL_DIRS);
        return dirs.stream().map(d -> d.resolve(name)).filter(Files::isExecutable).findFirst();
    }

    public static boolean isRoot() {
        return currentUid() == 0;
    }

    /** Effective uid from /proc/self/status (the JDK has no portable API for it). */
    static long currentUid() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) {
                    return Long.parseLong(line.substring(4).trim().split("\\s+")[1]);
                }
            }
        } catch (IOException | RuntimeException e) {
            // fall through: unknown is treated as "not root"
        }
        return -1;
    }
}
