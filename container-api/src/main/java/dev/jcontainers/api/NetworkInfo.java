package dev.jcontainers.api;

import java.time.Instant;
import java.util.List;

/**
 * What {@code docker network inspect} shows: a bridge network, its IPv4 subnet and gateway, and the
 * containers holding an address on it.
 *
 * @param bridge   the Linux bridge on the host ({@code jc0} for the default network)
 * @param internal no default route: containers reach only each other and the gateway
 */
public record NetworkInfo(
        String id,
        String name,
        String driver,
        String bridge,
        String subnet,
        String gateway,
        boolean internal,
        Instant created,
        List<Endpoint> endpoints) {

    public NetworkInfo {
        endpoints = endpoints == null ? List.of() : List.copyOf(endpoints);
    }

    /** A container's place on the network: its IPv4 address, and whether it is wired now (running). */
    public record Endpoint(String containerId, String containerName, String ipAddress, boolean connected) {
    }

    public String shortId() {
        return id.substring(0, Math.min(12, id.length()));
    }
}
