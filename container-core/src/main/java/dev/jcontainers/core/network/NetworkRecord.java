package dev.jcontainers.core.network;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A network on disk, {@code networks/<name>.json}: its bridge, subnet and gateway, and one endpoint per
 * container holding an address on it (keyed by container ID). The record is the allocation state: an
 * address is taken exactly while an endpoint holds it.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record NetworkRecord(
        String id,
        String name,
        String bridge,
        String subnet,
        String gateway,
        boolean internal,
        String created,
        Map<String, Endpoint> endpoints) {

    public NetworkRecord {
        endpoints = endpoints == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(endpoints));
    }

    /**
     * A container on this network. {@code veth} is the host end of its veth pair while it is wired (the
     * container runs), null otherwise.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Endpoint(String containerName, String hostname, String ipAddress, String veth) {
        Endpoint withVeth(String newVeth) {
            return new Endpoint(containerName, hostname, ipAddress, newVeth);
        }
    }

    public Subnet parsedSubnet() {
        return Subnet.parse(subnet);
    }

    public int parsedGateway() {
        return Subnet.parseAddress(gateway);
    }

    public IpAllocator allocator() {
        return new IpAllocator(parsedSubnet(), parsedGateway(),
                endpoints.values().stream().map(e -> Subnet.parseAddress(e.ipAddress())).toList());
    }

    NetworkRecord withEndpoint(String containerId, Endpoint endpoint) {
        Map<String, Endpoint> copy = new LinkedHashMap<>(endpoints);
        if (endpoint == null) {
            copy.remove(containerId);
        } else {
            copy.put(containerId, endpoint);
        }
        return new NetworkRecord(id, name, bridge, subnet, gateway, internal, created, copy);
    }

    /** Whether containers on this network find each other by name; Docker's default bridge does not. */
    boolean resolvesNames() {
        return !dev.jcontainers.api.NetworkManager.DEFAULT_NETWORK.equals(name);
    }
}
