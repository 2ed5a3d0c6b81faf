package dev.jcontainers.cli;

import dev.jcontainers.api.Engine;
import dev.jcontainers.api.NetworkInfo;
import dev.jcontainers.api.NetworkSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code jc network ...}: Docker's network management group (bridge and macvlan networks). */
@Command(name = "network", description = "Manage networks.",
        subcommands = {NetworkCommand.Create.class, NetworkCommand.Ls.class, NetworkCommand.Inspect.class,
                NetworkCommand.Rm.class, NetworkCommand.Prune.class, NetworkCommand.Connect.class,
                NetworkCommand.Disconnect.class})
class NetworkCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "create", description = "Create a network; prints its ID.")
    static final class Create extends EngineCommand {
        @Parameters(index = "0", paramLabel = "NETWORK")
        String name;

        @Option(names = "--subnet", paramLabel = "CIDR", description = "IPv4 subnet (default: a free 10.x.0.0/16).")
        String subnet;

        @Option(names = "--gateway", paramLabel = "IP", description = "Gateway address (default: the subnet's first).")
        String gateway;

        @Option(names = "--internal", description = "Restrict external access to the network.")
        boolean internal;

        @Option(names = {"-d", "--driver"}, paramLabel = "DRIVER", defaultValue = "bridge",
                description = "Driver to manage the network: bridge or macvlan.")
        String driver;

        @Option(names = {"-o", "--opt"}, paramLabel = "KEY=VALUE",
                description = "Driver options; macvlan: parent=INTERFACE.")
        Map<String, String> options = new LinkedHashMap<>();

        @Override
        Integer run(Engine engine) {
            if (!driver.equals(NetworkSpec.BRIDGE) && !driver.equals(NetworkSpec.MACVLAN)) {
                throw new IllegalArgumentException("plugin \"" + driver + "\" not found: the drivers are bridge and macvlan");
            }
            out().println(engine.networks().create(new NetworkSpec(name, driver, subnet, gateway, internal, options)).id());
            out().flush();
            return 0;
        }
    }

    @Command(name = "connect", description = "Connect a container to a network.")
    static final class Connect extends EngineCommand {
        @Parameters(index = "0", paramLabel = "NETWORK")
        String network;

        @Parameters(index = "1", paramLabel = "CONTAINER")
        String container;

        @Option(names = "--alias", paramLabel = "ALIAS", description = "Add a network-scoped alias for the container.")
        List<String> aliases = new ArrayList<>();

        @Override
        Integer run(Engine engine) {
            engine.containers().get(container).connect(network, aliases);
            return 0;
        }
    }

    @Command(name = "disconnect", description = "Disconnect a container from a network.")
    static final class Disconnect extends EngineCommand {
        @Parameters(index = "0", paramLabel = "NETWORK")
        String network;

        @Parameters(index = "1", paramLabel = "CONTAINER")
        String container;

        @Override
        Integer run(Engine engine) {
            engine.containers().get(container).disconnect(network);
            return 0;
        }
    }

    @Command(name = "ls", aliases = "list", description = "List networks.")
    static final class Ls extends EngineCommand {
        @Option(names = {"-q", "--quiet"}, description = "Only display network IDs.")
        boolean quiet;

        @Option(names = "--no-trunc", description = "Do not truncate the output.")
        boolean noTrunc;

        @Override
        Integer run(Engine engine) {
            List<String[]> rows = new ArrayList<>();
            rows.add(new String[]{"NETWORK ID", "NAME", "DRIVER", "SCOPE"});
            for (NetworkInfo n : engine.networks().list()) {
                String id = noTrunc ? n.id() : n.shortId();
                if (quiet) {
                    out().println(id);
                } else {
                    rows.add(new String[]{id, n.name(), n.driver(), "local"});
                }
            }
            if (!quiet) {
                out().print(Format.table(rows));
            }
            out().flush();
            return 0;
        }
    }

    @Command(name = "inspect", description = "Display detailed information on one or more networks.")
    static final class Inspect extends AbstractInspectCommand {
        @Override
        Map<String, Object> inspect(Engine engine, String name) {
            return NetworkJson.of(engine.networks().inspect(name));
        }
    }

    @Command(name = "rm", aliases = "remove", description = "Remove one or more networks.")
    static final class Rm extends EngineCommand {
        @Parameters(arity = "1..*", paramLabel = "NETWORK")
        List<String> networks;

        @Override
        Integer run(Engine engine) {
            return forEach(networks, n -> {
                engine.networks().remove(n);
                out().println(n);
            });
        }
    }

    @Command(name = "prune", description = "Remove all networks no container uses.")
    static final class Prune extends EngineCommand {
        @Option(names = {"-f", "--force"}, description = "Do not prompt for confirmation (there is no prompt).")
        boolean force;

        @Override
        Integer run(Engine engine) {
            List<String> removed = engine.networks().prune();
            if (!removed.isEmpty()) {
                out().println("Deleted Networks:");
                removed.forEach(out()::println);
            }
            out().flush();
            return 0;
        }
    }
}
