package dev.jcontainers.cli;

import dev.jcontainers.linux.launch.LaunchException;

/**
 * Docker's exit codes for {@code run} and {@code start}: when the container ran, its own code; when it did
 * not, 125 for the engine's errors (unknown image, bad flag, name conflict), 126 when the command exists but
 * cannot be invoked, 127 when it does not exist.
 */
final class ExitCodes {
    static final int ENGINE_ERROR = 125;
    static final int CANNOT_INVOKE = 126;
    static final int NOT_FOUND = 127;

    private static final int ENOENT = 2;
    private static final int ENOEXEC = 8;
    private static final int ENOTDIR = 20;
    private static final int EACCES = 13;
    private static final int EISDIR = 21;

    private ExitCodes() {
    }

    /** The code for a container that failed to create or start. */
    static int ofStartFailure(RuntimeException e) {
        // The engine resolves a bare command in the image's PATH before launching (Docker's wording).
        if (e.getMessage() != null && e.getMessage().contains("executable file not found")) {
            return NOT_FOUND;
        }
        if (e instanceof LaunchException le && e.getMessage() != null && e.getMessage().startsWith("execve(")) {
            return switch (le.errno()) {
                case ENOENT, ENOTDIR -> NOT_FOUND;
                case EACCES, EISDIR, ENOEXEC -> CANNOT_INVOKE;
                default -> ENGINE_ERROR;
            };
        }
        return ENGINE_ERROR;
    }
}
