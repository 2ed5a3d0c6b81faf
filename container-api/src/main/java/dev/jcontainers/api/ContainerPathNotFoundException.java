package dev.jcontainers.api;

/** A path given to a container copy does not exist (in the container, or on the host). */
public final class ContainerPathNotFoundException extends ContainerException {
    public ContainerPathNotFoundException(String message) {
        super(message);
    }
}
