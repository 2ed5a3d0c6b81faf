package dev.jcontainers.api;

/** The operation does not fit the container's state (exec into a stopped container, removing a running one). */
public final class ContainerStateException extends ContainerException {
    public ContainerStateException(String message) {
        super(message);
    }
}
