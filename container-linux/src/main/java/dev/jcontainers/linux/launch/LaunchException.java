package dev.jcontainers.linux.launch;

import dev.jcontainers.api.ContainerException;

/**
 * The container could not be started. The message names the failing step as the helper saw it, e.g.
 * {@code execve(/nonexistent): No such file or directory}; when this is thrown nothing of the launch is
 * left running.
 */
public class LaunchException extends ContainerException {
    private final int errno;

    public LaunchException(String message, int errno) {
        super(message);
        this.errno = errno;
    }

    public LaunchException(String message, Throwable cause) {
        super(message, cause);
        this.errno = 0;
    }

    /** The errno of the failing call, 0 when the failure was not a system call. */
    public int errno() {
        return errno;
    }
}
