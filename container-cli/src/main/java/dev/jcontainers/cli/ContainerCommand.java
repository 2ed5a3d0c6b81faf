package dev.jcontainers.cli;

import dev.jcontainers.api.Engine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.util.Map;

/** {@code jc container ...}: Docker's container management group. */
@Command(name = "container", description = "Manage containers.",
        subcommands = {ContainerCommand.Ls.class, RunCommand.class, CreateCommand.class, StartCommand.class,
                StopCommand.class, KillCommand.class, ContainerCommand.Rm.class, LogsCommand.class,
                ContainerCommand.Inspect.class, WaitCommand.class, ContainerCommand.Prune.class, ExecCommand.class,
                DiffCommand.class, CommitCommand.class, PauseCommand.class, UnpauseCommand.class, TopCommand.class,
                PortCommand.class})
class ContainerCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "ls", aliases = {"list", "ps"}, description = "List containers.")
    static final class Ls extends PsCommand {
    }

    @Command(name = "rm", aliases = "remove", description = "Remove one or more containers.")
    static final class Rm extends RmCommand {
    }

    @Command(name = "inspect", description = "Display detailed information on one or more containers.")
    static final class Inspect extends AbstractInspectCommand {
        @Override
        Map<String, Object> inspect(Engine engine, String name) {
            return ContainerJson.of(engine.containers().get(name).inspect(), engine.networks().list());
        }
    }

    @Command(name = "prune", description = "Remove all stopped containers.")
    static final class Prune extends EngineCommand {
        @Option(names = {"-f", "--force"}, description = "Do not prompt for confirmation (there is no prompt).")
        boolean force;

        @Override
        Integer run(Engine engine) {
            var removed = engine.containers().prune();
            out().println("Deleted Containers:");
            removed.forEach(out()::println);
            out().flush();
            return 0;
        }
    }
}
