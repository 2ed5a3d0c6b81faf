package dev.jcontainers.api;

import java.util.List;

/**
 * The networks of one engine root: {@code docker network create|ls|inspect|rm|prune}. The default network
 * {@code bridge} exists from the first use and cannot be removed.
 */
public interface NetworkManager {
    /** The name of the default network, which containers in {@link NetworkMode#bridge()} join. */
    String DEFAULT_NETWORK = "bridge";

    /**
     * A user-defined bridge network. {@code subnet} (CIDR, IPv4) null picks a free one; {@code gateway}
     * null is the subnet's first address. A subnet overlapping another network's is refused.
     */
    default NetworkInfo create(String name, String subnet, String gateway, boolean internal) {
        return create(new NetworkSpec(name, NetworkSpec.BRIDGE, subnet, gateway, internal, java.util.Map.of()));
    }

    /** A user-defined network of either driver; see {@link NetworkSpec}. */
    NetworkInfo create(NetworkSpec spec);

    List<NetworkInfo> list();

    /** By name, ID or unique ID prefix; {@link NetworkNotFoundException} otherwise. */
    NetworkInfo inspect(String nameOrId);

    /** {@link NetworkInUseException} while a container holds an address on it. */
    void remove(String nameOrId);

    /** Removes every user-defined network no container uses; returns their names. */
    List<String> prune();
}
