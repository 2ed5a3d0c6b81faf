package dev.jcontainers.cli;

import dev.jcontainers.api.ContainerException;
import dev.jcontainers.api.ContainerInfo;
import dev.jcontainers.api.ContainerStatus;
import dev.jcontainers.api.Engine;
import dev.jcontainers.api.PortBinding;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.util.List;

/** {@code jc port CONTAINER [PORT[/PROTO]]}: where a running container's ports are published. */
@Command(name = "port", description = "List port mappings or a specific mapping for the container.")
class PortCommand extends EngineCommand {
    @Parameters(index = "0", paramLabel = "CONTAINER")
    String container;

    @Parameters(index = "1", arity = "0..1", paramLabel = "PRIVATE_PORT[/PROTO]")
    String privatePort;

    @Override
    Integer run(Engine engine) {
        ContainerInfo c = engine.containers().get(container).inspect();
        List<PortBinding> ports = c.status() == ContainerStatus.RUNNING ? c.ports() : List.of();
        if (privatePort == null) {
            ports.forEach(p -> out().println(p.containerPort() + "/" + p.protocol() + " -> " + host(p)));
        } else {
            String[] parts = privatePort.split("/", 2);
            int port;
            try {
                port = Integer.parseInt(parts[0]);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("invalid port: " + privatePort);
            }
            String proto = parts.length > 1 ? parts[1] : "tcp";
            List<PortBinding> match = ports.stream()
                    .filter(p -> p.containerPort() == port && p.protocol().equals(proto)).toList();
            if (match.isEmpty()) {
                throw new ContainerException("No public port '" + port + "/" + proto + "' published for " + container);
            }
            match.forEach(p -> out().println(host(p)));
        }
        out().flush();
        return 0;
    }

    private static String host(PortBinding p) {
        return (p.hostIp() == null ? "0.0.0.0" : p.hostIp()) + ":" + p.hostPort();
    }
}
