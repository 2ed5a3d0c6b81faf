package dev.jcontainers.cli;

import dev.jcontainers.api.ContainerInfo;
import dev.jcontainers.api.Engine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

@Command(name = "ps", description = "List containers.")
class PsCommand extends EngineCommand {
    @Option(names = {"-a", "--all"}, description = "Show all containers (default shows just running).")
    boolean all;

    @Option(names = {"-q", "--quiet"}, description = "Only display container IDs.")
    boolean quiet;

    @Option(names = "--no-trunc", description = "Don't truncate output.")
    boolean noTrunc;

    @Override
    Integer run(Engine engine) {
        List<ContainerInfo> containers = engine.containers().list(all);
        if (quiet) {
            containers.forEach(c -> out().println(noTrunc ? c.id() : c.shortId()));
            out().flush();
            return 0;
        }
        Instant now = Instant.now();
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[]{"CONTAINER ID", "IMAGE", "COMMAND", "CREATED", "STATUS", "PORTS", "NAMES"});
        for (ContainerInfo c : containers) {
            String command = String.join(" ", c.command());
            rows.add(new String[]{noTrunc ? c.id() : c.shortId(), c.image(),
                    "\"" + (noTrunc ? command : Format.ellipsis(command, 20)) + "\"", Format.ago(c.created()),
                    Format.containerStatus(c, now), ports(c), c.name()});
        }
        out().print(Format.table(rows));
        out().flush();
        return 0;
    }

    /** Docker shows the ports a running container publishes: {@code 0.0.0.0:8080->80/tcp, ...}. */
    static String ports(ContainerInfo c) {
        if (c.status() != dev.jcontainers.api.ContainerStatus.RUNNING) {
            return "";
        }
        return String.join(", ", c.ports().stream().map(dev.jcontainers.api.PortBinding::toString).toList());
    }
}
