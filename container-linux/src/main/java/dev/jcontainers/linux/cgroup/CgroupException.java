package dev.jcontainers.linux.cgroup;

import dev.jcontainers.api.ContainerException;

/** A cgroup could not be created, configured, read or removed; the message names the file or controller. */
public class CgroupException extends ContainerException {
    public CgroupException(String message) {
        super(message);
    }

    public CgroupException(String message, Throwable cause) {
        super(message, cause);
    }
}
