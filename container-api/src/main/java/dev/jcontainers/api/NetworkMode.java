package dev.jcontainers.api;

/**
 * How a container is networked: {@code none} (own namespace with loopback only), {@code host} (the host's
 * namespace), {@code bridge} (own namespace wired to a bridge; the default in Docker), or another
 * container's namespace.
 */
public sealed interface NetworkMode {
    record None() implements NetworkMode {
    }

    record Host() implements NetworkMode {
    }

    /** {@code network} null means the engine's default bridge. */
    record Bridge(String network) implements NetworkMode {
    }

    record Container(String nameOrId) implements NetworkMode {
    }

    static NetworkMode none() {
        return new None();
    }

    static NetworkMode host() {
        return new Host();
    }

    static NetworkMode bridge() {
        return new Bridge(null);
    }

    static NetworkMode bridge(String network) {
        return new Bridge(network);
    }

    /** Docker's {@code --network} value: none, host, bridge, container:NAME, or a network name. */
    static NetworkMode parse(String text) {
        return switch (text) {
            case "none" -> none();
            case "host" -> host();
            case "bridge", "default" -> bridge();
            default -> text.startsWith("container:") ? new Container(text.substring("container:".length()))
                    : bridge(text);
        };
    }
}
