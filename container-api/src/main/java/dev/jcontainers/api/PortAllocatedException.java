package dev.jcontainers.api;

/** A host port asked for by {@code -p} is taken: published by another container, or bound by a host process. */
public class PortAllocatedException extends ContainerException {
    public PortAllocatedException(String message, Throwable cause) {
        super(message, cause);
    }
}
