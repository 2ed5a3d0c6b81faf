package dev.jcontainers.linux.ffm;

import dev.jcontainers.api.ContainerException;

/** A system call failed; {@link #errno()} says how. The message names the call and its object. */
public class LinuxException extends ContainerException {
    private final int errno;

    public LinuxException(String call, String subject, int errno) {
        super(call + "(" + subject + "): " + Errno.describe(errno) + " (errno " + errno + ")");
        this.errno = errno;
    }

    public int errno() {
        return errno;
    }
}
