package dev.jcontainers.cli;

import dev.jcontainers.api.ContainerException;
import dev.jcontainers.api.Containers;
import dev.jcontainers.api.Engine;
import dev.jcontainers.api.EngineOptions;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** {@code jc}: Docker's verbs and flags over the embedded engine. */
@Command(name = "jc", mixinStandardHelpOptions = true, version = "jc 0.1.0", scope = CommandLine.ScopeType.INHERIT,
        description = "A daemonless container engine (Docker-compatible verbs).",
        subcommands = {PullCommand.class, ImagesCommand.class, TagCommand.class, RmiCommand.class,
                ImageCommand.class, InspectCommand.class, HistoryCommand.class, PushCommand.class, SaveCommand.class,
                LoadCommand.class, ExecCommand.class, ContainerCommand.class, RunCommand.class, CreateCommand.class,
                StartCommand.class, PsCommand.class, LogsCommand.class, StopCommand.class, KillCommand.class,
                WaitCommand.class, RmCommand.class, NetworkCommand.class, VolumeCommand.class, DiffCommand.class,
                CommitCommand.class, StatsCommand.class})
public final class Jc {
    @Option(names = "--root", description = "Engine root directory (default: /var/lib/jcontainers as root, "
            + "else $XDG_DATA_HOME/jcontainers).", scope = CommandLine.ScopeType.INHERIT)
    Path root;

    @Option(names = "--insecure-registry", paramLabel = "HOST[:PORT]",
            description = "Registry to reach over plain HTTP (loopback registries always may).",
            scope = CommandLine.ScopeType.INHERIT)
    List<String> insecureRegistries = new ArrayList<>();

    @Option(names = "--dns", paramLabel = "IP",
            description = "Name server the embedded DNS of user-defined networks forwards to (default: the host's "
                    + "/etc/resolv.conf); none forwards nothing.", scope = CommandLine.ScopeType.INHERIT)
    List<String> dnsServers = new ArrayList<>();

    @Option(names = "--debug", description = "Print stack traces on errors.", scope = CommandLine.ScopeType.INHERIT)
    boolean debug;

    Engine openEngine() {
        EngineOptions.Builder b = EngineOptions.builder();
        if (root != null) {
            b.root(root);
        }
        insecureRegistries.forEach(b::insecureRegistry);
        if (!dnsServers.isEmpty()) {
            b.dnsServers(dnsServers.equals(List.of("none")) ? List.of() : dnsServers);
        }
        return Containers.engine(b.build());
    }

    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** {@code jc run IMG sh -c ...}: everything after the image belongs to the container's command. */
    private static void stopAtImage(CommandLine cli) {
        if (cli.getCommand() instanceof StopsAtImage) {
            cli.setStopAtPositional(true);
        }
        cli.getSubcommands().values().forEach(Jc::stopAtImage);
    }

    /** Runs one command line; the exit code follows Docker's CLI (0 ok, 1 error, 2 usage; {@code run}
     * exits with the container's code, or 125/126/127 when it could not run it). */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        Jc jc = new Jc();
        CommandLine cli = new CommandLine(jc);
        cli.setOut(out);
        cli.setErr(err);
        stopAtImage(cli);
        cli.setExecutionExceptionHandler((ex, cmd, parseResult) -> {
            if (ex instanceof ContainerException || ex instanceof IllegalArgumentException) {
                err.println("Error: " + ex.getMessage());
                if (jc.debug) {
                    ex.printStackTrace(err);
                }
                return cmd.getCommandSpec().exitCodeOnExecutionException();
            }
            throw ex;
        });
        int code = cli.execute(args);
        out.flush();
        err.flush();
        return code;
    }
}
