package dev.jcontainers.api;

/** No network has that name or ID (prefix). */
public final class NetworkNotFoundException extends ContainerException {
    public NetworkNotFoundException(String nameOrId) {
        super("network " + nameOrId + " not found");
    }
}
