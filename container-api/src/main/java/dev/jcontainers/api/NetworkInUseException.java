package dev.jcontainers.api;

/** A network cannot be removed while containers hold addresses on it. */
public final class NetworkInUseException extends ContainerException {
    public NetworkInUseException(String message) {
        super(message);
    }
}
