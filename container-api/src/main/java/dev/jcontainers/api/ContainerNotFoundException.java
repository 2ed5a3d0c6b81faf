package dev.jcontainers.api;

/** No container has that name or ID (prefix). */
public final class ContainerNotFoundException extends ContainerException {
    public ContainerNotFoundException(String nameOrId) {
        super("No such container: " + nameOrId);
    }
}
