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

    /**
     * {@code network} null means the engine's default bridge. {@code aliases} are further names the container
     * answers to on a user-defined network ({@code --network-alias}); the default bridge resolves no names.
     */
    record Bridge(String network, java.util.List<String> aliases) implements NetworkMode {
        public Bridge {
            aliases = aliases == null ? java.util.List.of() : java.util.List.copyOf(aliases);
            if (!aliases.isEmpty() && (network == null || network.equals(NetworkManager.DEFAULT_NETWORK))) {
                throw new IllegalArgumentException("network-scoped aliases are only supported for user-defined networks");
            }
        }

        public Bridge(String network) {
            this(network, java.util.List.of());
        }
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

    /** A user-defined network, where the container also answers to {@code aliases}. */
    static NetworkMode bridge(String network, java.util.List<String> aliases) {
        return new Bridge(network, aliases);
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
