package dev.jcontainers.cli;

import dev.jcontainers.api.Engine;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.util.List;
import java.util.Map;

/** {@code jc container ...}: Docker's container management group. */
@Command(name = "container", description = "Manage containers.")
class ContainerCommand implements Runnable {
    @Spec
    CommandSpec spec;

    /**
     * The group with its verbs, in the order help lists them; registered in code as {@code run} and
     * {@code create} declare their model in code ({@link SpecBuilder}), which {@code @Command(subcommands)}
     * cannot list.
     */
    static CommandLine commandLine() {
        CommandLine group = new CommandLine(ContainerCommand.class);
        for (Object verb : List.of(Ls.class, RunCommand.spec(), CreateCommand.spec(), StartCommand.class,
                StopCommand.class, KillCommand.class, Rm.class, LogsCommand.class, Inspect.class, WaitCommand.class,
                Prune.class, ExecCommand.class, DiffCommand.class, CommitCommand.class, PauseCommand.class,
                UnpauseCommand.class, TopCommand.class, PortCommand.class)) {
            group.addSubcommand(verb);
        }
        return group;
    }

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
