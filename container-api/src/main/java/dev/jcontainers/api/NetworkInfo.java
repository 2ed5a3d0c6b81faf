package dev.jcontainers.api;

import java.time.Instant;
import java.util.List;

/**
 * What {@code docker network inspect} shows: a bridge network, its IPv4 subnet and gateway, and the
 * containers holding an address on it.
 *
 * @param driver   {@code bridge} or {@code macvlan}
 * @param bridge   the Linux bridge on the host ({@code jc0} for the default network); null for macvlan
 * @param internal no default route: containers reach only each other and the gateway
 * @param options  the driver's options, e.g. macvlan's {@code parent}
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
        List<Endpoint> endpoints,
        java.util.Map<String, String> options) {

    public NetworkInfo {
        endpoints = endpoints == null ? List.of() : List.copyOf(endpoints);
        options = options == null ? java.util.Map.of() : java.util.Map.copyOf(options);
    }

    /**
     * A container's place on the network: its IPv4 address, the names it answers to besides its own
     * ({@code --network-alias}), and whether it is wired now (running).
     */
    public record Endpoint(String containerId, String containerName, String ipAddress, boolean connected,
                           List<String> aliases) {
        public Endpoint {
            aliases = aliases == null ? List.of() : List.copyOf(aliases);
        }
    }

    public String shortId() {
        return id.substring(0, Math.min(12, id.length()));
    }
}
