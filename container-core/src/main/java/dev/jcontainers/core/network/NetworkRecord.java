package dev.jcontainers.core.network;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import dev.jcontainers.api.NetworkSpec;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A network on disk, {@code networks/<name>.json}: its driver, bridge (or macvlan parent), subnet and gateway,
 * and one endpoint per container holding an address on it (keyed by container ID). The record is the
 * allocation state: an address is taken exactly while an endpoint holds it.
 *
 * @param driver  null (records written before macvlan) means bridge
 * @param options the driver's options; macvlan's {@code parent}
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
        Map<String, Endpoint> endpoints,
        String driver,
        Map<String, String> options) {

    public NetworkRecord {
        endpoints = endpoints == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(endpoints));
        driver = driver == null ? NetworkSpec.BRIDGE : driver;
        options = options == null ? Map.of() : Map.copyOf(options);
    }

    NetworkRecord(String id, String name, String bridge, String subnet, String gateway, boolean internal,
                  String created, Map<String, Endpoint> endpoints) {
        this(id, name, bridge, subnet, gateway, internal, created, endpoints, NetworkSpec.BRIDGE, Map.of());
    }

    /**
     * A container on this network. {@code iface} is its link's name inside the container ({@code eth0},
     * {@code eth1}, ... in the order it joined networks; null in records older than that means eth0).
     * {@code veth} is set while it is wired (the container runs): for a bridge the host end of its veth pair,
     * for macvlan the link's name inside the container (there is no host end). {@code aliases} are the
     * further names it answers to on this network.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Endpoint(String containerName, String hostname, String ipAddress, String veth, String iface,
                           List<String> aliases) {
        public Endpoint {
            aliases = aliases == null ? List.of() : List.copyOf(aliases);
            iface = iface == null ? BridgeDriver.CONTAINER_LINK : iface;
        }

        Endpoint withVeth(String newVeth) {
            return new Endpoint(containerName, hostname, ipAddress, newVeth, iface, aliases);
        }

        boolean wired() {
            return veth != null;
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
        return new NetworkRecord(id, name, bridge, subnet, gateway, internal, created, copy, driver, options);
    }

    boolean macvlan() {
        return NetworkSpec.MACVLAN.equals(driver);
    }

    /** Whether containers on this network find each other by name; Docker's default bridge does not. */
    boolean resolvesNames() {
        return !dev.jcontainers.api.NetworkManager.DEFAULT_NETWORK.equals(name);
    }
}
