package dev.jcontainers.cli;

import dev.jcontainers.api.NetworkInfo;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Docker's network inspect JSON, the keys we know the value of. */
final class NetworkJson {
    private NetworkJson() {
    }

    static Map<String, Object> of(NetworkInfo n) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Name", n.name());
        m.put("Id", n.id());
        m.put("Created", n.created().toString());
        m.put("Scope", "local");
        m.put("Driver", n.driver());
        m.put("EnableIPv6", false);
        Map<String, Object> pool = new LinkedHashMap<>();
        pool.put("Subnet", n.subnet());
        pool.put("Gateway", n.gateway());
        Map<String, Object> ipam = new LinkedHashMap<>();
        ipam.put("Driver", "default");
        ipam.put("Options", Map.of());
        ipam.put("Config", List.of(pool));
        m.put("IPAM", ipam);
        m.put("Internal", n.internal());
        m.put("Attachable", false);
        m.put("Ingress", false);
        m.put("Containers", containers(n));
        m.put("Options", n.bridge() != null ? Map.of("com.docker.network.bridge.name", n.bridge()) : n.options());
        m.put("Labels", Map.of());
        return m;
    }

    /**
     * Every container holding an address, also a stopped one: unlike Docker, the engine reserves the address
     * from create to removal, and those are the containers that keep {@code network rm} from succeeding.
     */
    private static Map<String, Object> containers(NetworkInfo n) {
        String prefix = n.subnet().substring(n.subnet().indexOf('/'));
        Map<String, Object> containers = new LinkedHashMap<>();
        for (NetworkInfo.Endpoint e : n.endpoints()) {
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("Name", e.containerName());
            c.put("IPv4Address", e.ipAddress() + prefix);
            c.put("IPv6Address", "");
            c.put("Aliases", e.aliases());
            containers.put(e.containerId(), c);
        }
        return containers;
    }
}
