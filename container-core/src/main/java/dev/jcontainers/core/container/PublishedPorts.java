package dev.jcontainers.core.container;

import dev.jcontainers.api.ContainerException;
import dev.jcontainers.api.ContainerSpec;
import dev.jcontainers.api.NetworkMode;
import dev.jcontainers.api.PortBinding;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The ports a container publishes: its {@code -p} bindings, and with {@code -P} what the image exposes. */
final class PublishedPorts {
    private PublishedPorts() {
    }

    /**
     * {@code -p} first, then for {@code -P} each {@code EXPOSE}d port not already bound, on a free host port.
     * As in Docker, ports are dropped for {@code --network host} (the container binds the host's ports itself)
     * and {@code none}, and refused when joining another container's network.
     */
    static List<PortBinding> resolve(ContainerSpec spec, Map<String, Object> exposed) {
        List<PortBinding> out = new ArrayList<>(spec.ports());
        if (spec.publishAllPorts() && exposed != null) {
            Set<String> bound = new HashSet<>();
            out.forEach(b -> bound.add(b.containerPort() + "/" + b.protocol()));
            for (String port : exposed.keySet()) {
                PortBinding b = exposedPort(port);
                if (bound.add(b.containerPort() + "/" + b.protocol())) {
                    out.add(b);
                }
            }
        }
        if (out.isEmpty()) {
            return out;
        }
        return switch (spec.network()) {
            case NetworkMode.Bridge b -> out;
            case NetworkMode.Host h -> List.of();
            case NetworkMode.None n -> List.of();
            case NetworkMode.Container c -> throw new ContainerException(
                    "conflicting options: port publishing and the container type network mode");
        };
    }

    /** An image's {@code ExposedPorts} key: {@code 80/tcp}, {@code 53/udp}, or a bare {@code 80}. */
    private static PortBinding exposedPort(String key) {
        String[] parts = key.split("/", 2);
        try {
            return new PortBinding(null, 0, Integer.parseInt(parts[0]), parts.length > 1 ? parts[1] : "tcp");
        } catch (IllegalArgumentException e) {
            throw new ContainerException("the image exposes an invalid port \"" + key + "\": " + e.getMessage(), e);
        }
    }
}
