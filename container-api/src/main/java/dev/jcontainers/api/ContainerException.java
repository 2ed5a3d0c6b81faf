package dev.jcontainers.api;

/**
 * Base of every error the engine reports. Unchecked, so Kotlin and Scala callers are not forced into
 * try/catch blocks; the subclasses say what went wrong precisely enough to act on.
 */
public class ContainerException extends RuntimeException {
    public ContainerException(String message) {
        super(message);
    }

    public ContainerException(String message, Throwable cause) {
        super(message, cause);
    }
}
