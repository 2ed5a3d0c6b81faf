package dev.jcontainers.cli;

import dev.jcontainers.api.ContainerInfo;
import dev.jcontainers.api.ContainerStatus;
import dev.jcontainers.api.NetworkInfo;
import dev.jcontainers.api.NetworkManager;
import dev.jcontainers.api.PortBinding;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Docker's container inspect JSON, the keys we know the value of. */
final class ContainerJson {
    /** Go's zero time, which Docker prints for a time that has not happened. */
    private static final String ZERO_TIME = "0001-01-01T00:00:00Z";

    private ContainerJson() {
    }

    /** With {@code NetworkSettings}: the container's addresses on {@code networks}. */
    static Map<String, Object> of(ContainerInfo c, List<NetworkInfo> networks) {
        Map<String, Object> m = of(c);
        @SuppressWarnings("unchecked") // of(c) made it, with the published ports
        Map<String, Object> settings = (Map<String, Object>) m.get("NetworkSettings");
        Map<String, Object> attached = new LinkedHashMap<>();
        String ip = "";
        String gateway = "";
        for (NetworkInfo n : networks) {
            for (NetworkInfo.Endpoint e : n.endpoints()) {
                if (e.containerId().equals(c.id())) {
                    Map<String, Object> endpoint = new LinkedHashMap<>();
                    endpoint.put("NetworkID", n.id());
                    endpoint.put("Gateway", n.gateway());
                    endpoint.put("IPAddress", e.ipAddress());
                    endpoint.put("IPPrefixLen", prefixLength(n.subnet()));
                    attached.put(n.name(), endpoint);
                    if (n.name().equals(NetworkManager.DEFAULT_NETWORK)) { // Docker's legacy top-level fields
                        ip = e.ipAddress();
                        gateway = n.gateway();
                    }
                }
            }
        }
        settings.put("Gateway", gateway);
        settings.put("IPAddress", ip);
        settings.put("Networks", attached);
        return m;
    }

    private static int prefixLength(String cidr) {
        int slash = cidr == null ? -1 : cidr.indexOf('/');
        return slash < 0 ? 0 : Integer.parseInt(cidr.substring(slash + 1));
    }

    static Map<String, Object> of(ContainerInfo c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Id", c.id());
        m.put("Created", time(c.created()));
        List<String> args = c.command();
        m.put("Path", args.isEmpty() ? "" : args.getFirst());
        m.put("Args", args.isEmpty() ? List.of() : args.subList(1, args.size()));
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("Status", c.status().dockerName());
        boolean running = c.status() == ContainerStatus.RUNNING || c.status() == ContainerStatus.PAUSED;
        state.put("Running", running); // Docker: a paused container is running and paused
        state.put("Paused", c.status() == ContainerStatus.PAUSED);
        state.put("Restarting", c.status() == ContainerStatus.RESTARTING);
        state.put("OOMKilled", c.oomKilled());
        state.put("Dead", c.status() == ContainerStatus.DEAD);
        state.put("Pid", running ? c.pid() : 0);
        state.put("ExitCode", c.exitCode() == null ? 0 : c.exitCode());
        state.put("Error", "");
        state.put("StartedAt", time(c.startedAt()));
        state.put("FinishedAt", time(c.finishedAt()));
        if (c.health() != null) {
            Map<String, Object> health = new LinkedHashMap<>();
            health.put("Status", c.health().status().dockerName());
            health.put("FailingStreak", c.health().failingStreak());
            health.put("Log", c.health().log().stream().map(pr -> {
                Map<String, Object> l = new LinkedHashMap<>();
                l.put("Start", time(pr.start()));
                l.put("End", time(pr.end()));
                l.put("ExitCode", pr.exitCode());
                l.put("Output", pr.output());
                return l;
            }).toList());
            state.put("Health", health);
        }
        m.put("State", state);
        m.put("RestartCount", c.restartCount());
        m.put("HostConfig", Map.of("RestartPolicy", Map.of("Name", c.restartPolicy().mode().dockerName(),
                "MaximumRetryCount", c.restartPolicy().maximumRetryCount())));
        m.put("Image", c.imageId());
        m.put("Name", "/" + c.name());
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("Hostname", c.hostname());
        config.put("Image", c.image());
        config.put("Labels", c.labels());
        config.put("ExposedPorts", exposedPorts(c));
        m.put("Config", config);
        Map<String, Object> network = new LinkedHashMap<>();
        network.put("Ports", c.status() == ContainerStatus.RUNNING ? portMap(c) : Map.of());
        m.put("NetworkSettings", network);
        return m;
    }

    /** Docker's port map: {@code "80/tcp": [{"HostIp": "0.0.0.0", "HostPort": "8080"}]}. */
    static Map<String, List<Map<String, String>>> portMap(ContainerInfo c) {
        Map<String, List<Map<String, String>>> ports = new LinkedHashMap<>();
        for (PortBinding p : c.ports()) {
            Map<String, String> host = new LinkedHashMap<>();
            host.put("HostIp", p.hostIp() == null ? "0.0.0.0" : p.hostIp());
            host.put("HostPort", Integer.toString(p.hostPort()));
            ports.computeIfAbsent(p.containerPort() + "/" + p.protocol(), k -> new java.util.ArrayList<>()).add(host);
        }
        return ports;
    }

    private static Map<String, Object> exposedPorts(ContainerInfo c) {
        Map<String, Object> exposed = new LinkedHashMap<>();
        c.ports().forEach(p -> exposed.put(p.containerPort() + "/" + p.protocol(), Map.of()));
        return exposed;
    }

    private static String time(Instant t) {
        return t == null ? ZERO_TIME : t.toString();
    }
}
