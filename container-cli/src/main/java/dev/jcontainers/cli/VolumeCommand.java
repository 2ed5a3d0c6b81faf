package dev.jcontainers.cli;

import dev.jcontainers.api.ContainerException;
import dev.jcontainers.api.Engine;
import dev.jcontainers.api.VolumeInfo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code jc volume ...}: Docker's volume management group. */
@Command(name = "volume", description = "Manage volumes.",
        subcommands = {VolumeCommand.Create.class, VolumeCommand.Ls.class, VolumeCommand.Inspect.class,
                VolumeCommand.Rm.class, VolumeCommand.Prune.class})
class VolumeCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "create", description = "Create a volume.")
    static final class Create extends EngineCommand {
        @Parameters(arity = "0..1", paramLabel = "NAME")
        String name;

        @Option(names = {"-l", "--label"}, paramLabel = "KEY=VALUE", description = "Set a label.")
        List<String> labels = new ArrayList<>();

        @Override
        Integer run(Engine engine) {
            Map<String, String> l = new LinkedHashMap<>();
            for (String kv : labels) {
                int eq = kv.indexOf('=');
                l.put(eq < 0 ? kv : kv.substring(0, eq), eq < 0 ? "" : kv.substring(eq + 1));
            }
            out().println(engine.volumes().create(name, l).name());
            return 0;
        }
    }

    @Command(name = "ls", aliases = "list", description = "List volumes.")
    static final class Ls extends EngineCommand {
        @Option(names = {"-q", "--quiet"}, description = "Only display volume names.")
        boolean quiet;

        @Override
        Integer run(Engine engine) {
            List<String[]> rows = new ArrayList<>();
            rows.add(new String[]{"DRIVER", "VOLUME NAME"});
            for (VolumeInfo v : engine.volumes().list()) {
                if (quiet) {
                    out().println(v.name());
                } else {
                    rows.add(new String[]{v.driver(), v.name()});
                }
            }
            if (!quiet) {
                out().print(Format.table(rows));
            }
            out().flush();
            return 0;
        }
    }

    @Command(name = "inspect", description = "Display detailed information on one or more volumes.")
    static final class Inspect extends AbstractInspectCommand {
        @Override
        Map<String, Object> inspect(Engine engine, String name) {
            VolumeInfo v = engine.volumes().inspect(name);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("CreatedAt", v.created() == null ? null : v.created().toString());
            m.put("Driver", v.driver());
            m.put("Labels", v.labels());
            m.put("Mountpoint", v.mountpoint().toString());
            m.put("Name", v.name());
            m.put("Options", Map.of());
            m.put("Scope", "local");
            return m;
        }
    }

    @Command(name = "rm", aliases = "remove", description = "Remove one or more volumes.")
    static final class Rm extends EngineCommand {
        @Parameters(arity = "1..*", paramLabel = "VOLUME")
        List<String> names;

        @Option(names = {"-f", "--force"}, description = "Force the removal of one or more volumes.")
        boolean force;

        @Override
        Integer run(Engine engine) {
            int code = 0;
            for (String n : names) {
                try {
                    engine.volumes().remove(n, force);
                    out().println(n);
                } catch (ContainerException e) {
                    spec.commandLine().getErr().println("Error: " + e.getMessage());
                    code = 1;
                }
            }
            return code;
        }
    }

    @Command(name = "prune", description = "Remove volumes no container references.")
    static final class Prune extends EngineCommand {
        @Option(names = {"-f", "--force"}, description = "Do not prompt for confirmation (there is no prompt).")
        boolean force;

        @Override
        Integer run(Engine engine) {
            List<String> removed = engine.volumes().prune();
            if (!removed.isEmpty()) {
                out().println("Deleted Volumes:");
                removed.forEach(out()::println);
            }
            return 0;
        }
    }
}
