package dev.jcontainers.cli;

import dev.jcontainers.api.ContainerException;
import dev.jcontainers.api.Engine;
import dev.jcontainers.api.EngineOptions;
import dev.jcontainers.core.LocalEngine;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ScopeType;

import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code jc}: Docker's verbs and flags over the embedded engine. This root command and the verbs in
 * {@link #DECLARED_IN_CODE} declare their picocli model in code ({@link SpecBuilder}): those are what a cold
 * {@code jc run} parses. The other verbs are annotated classes.
 */
public final class Jc {
    /** The verbs, in the order help lists them. */
    static final List<Class<?>> COMMANDS = List.of(PullCommand.class, ImagesCommand.class, TagCommand.class,
            RmiCommand.class, ImageCommand.class, InspectCommand.class, HistoryCommand.class, PushCommand.class,
            SaveCommand.class, LoadCommand.class, ExecCommand.class, ContainerCommand.class, RunCommand.class,
            CreateCommand.class, StartCommand.class, CpCommand.class, PsCommand.class, LogsCommand.class,
            StopCommand.class, KillCommand.class, WaitCommand.class, RmCommand.class, NetworkCommand.class,
            VolumeCommand.class, DiffCommand.class, CommitCommand.class, StatsCommand.class, PauseCommand.class,
            UnpauseCommand.class, TopCommand.class, PortCommand.class);
    /** The verbs whose model is declared in code rather than by a {@code @Command} annotation, by name. */
    private static final Map<String, Class<?>> DECLARED_IN_CODE =
            Map.of(RunCommand.NAME, RunCommand.class, CreateCommand.NAME, CreateCommand.class);
    /** Global options that take a value (as the next argument unless given as {@code --name=value}). */
    private static final Set<String> VALUED_OPTIONS = Set.of("--root", "--insecure-registry", "--dns");

    Path root;
    List<String> insecureRegistries = new ArrayList<>();
    List<String> dnsServers = new ArrayList<>();
    boolean debug;

    /** What {@code -i} forwards to the container. */
    InputStream in = System.in;

    /** Where binary output goes: a tar stream is not text for a {@link PrintWriter}. */
    OutputStream binaryOut = System.out;

    /** The root command's model: global options, inherited by every verb, as are help, version and the scope. */
    private CommandSpec spec() {
        CommandSpec spec = CommandSpec.wrapWithoutInspection(this).name("jc").version("jc 0.1.0")
                .scopeType(ScopeType.INHERIT);
        spec.usageMessage().description("A daemonless container engine (Docker-compatible verbs).");
        SpecBuilder b = new SpecBuilder(spec);
        b.option("--root").label("<root>").inherited()
                .description("Engine root directory (default: /var/lib/jcontainers as root, else "
                        + "$XDG_DATA_HOME/jcontainers).")
                .value(Path.class, () -> root, v -> root = v);
        b.option("--insecure-registry").label("HOST[:PORT]").inherited()
                .description("Registry to reach over plain HTTP (loopback registries always may).")
                .list(String.class, () -> insecureRegistries, v -> insecureRegistries = v);
        b.option("--dns").label("IP").inherited()
                .description("Name server the embedded DNS of user-defined networks forwards to (default: the "
                        + "host's /etc/resolv.conf); none forwards nothing.")
                .list(String.class, () -> dnsServers, v -> dnsServers = v);
        b.option("--debug").inherited().description("Print stack traces on errors.")
                .flag(() -> debug, v -> debug = v);
        // what picocli's mixinStandardHelpOptions adds, without its annotated mixin class
        b.option("-h", "--help").inherited().description("Show this help message and exit.").usageHelp();
        b.option("-V", "--version").inherited().description("Print version information and exit.").versionHelp();
        return spec;
    }

    /** One verb per process, and at most one container started: a helper prepared for another would be wasted. */
    Engine openEngine(EngineOptions.LaunchPreparation preparation) {
        EngineOptions.Builder b = EngineOptions.builder().launchPreparation(preparation);
        if (root != null) {
            b.root(root);
        }
        insecureRegistries.forEach(b::insecureRegistry);
        if (!dnsServers.isEmpty()) {
            b.dnsServers(dnsServers.equals(List.of("none")) ? List.of() : dnsServers);
        }
        // jc ships the local engine: Containers.engine()'s ServiceLoader look-up (each JDK module asked for the
        // provider file, then the jar) would be ~3 ms of every cold run for a known answer (benchmarks/RESULTS.md 9c)
        return new LocalEngine(b.build());
    }

    public static void main(String[] args) {
        EarlyInit.start();
        int code = run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true));
        if (code != 0 || anotherThreadHoldsTheJvm()) {
            System.exit(code);
        }
        // Returning ends the JVM as System.exit(0) would, shutdown hooks included, but without Runtime.exit's
        // lookup of its System.Logger: that initialises the JDK's logging, a few ms of every cold run
        // (benchmarks/RESULTS.md 9e). The exit status is 0 unless main throws.
    }

    /** Whether a live non-daemon thread besides this one would keep the JVM running after main returns. */
    private static boolean anotherThreadHoldsTheJvm() {
        ThreadGroup root = Thread.currentThread().getThreadGroup();
        while (root.getParent() != null) {
            root = root.getParent();
        }
        Thread[] threads;
        int n;
        do {
            threads = new Thread[root.activeCount() * 2 + 8];
            n = root.enumerate(threads, true);
        } while (n == threads.length);
        for (int i = 0; i < n; i++) {
            Thread t = threads[i];
            if (t != Thread.currentThread() && !t.isDaemon() && t.isAlive()) {
                return true;
            }
        }
        return false;
    }

    /** {@code jc run IMG sh -c ...}: everything after the image belongs to the container's command. */
    private static void stopAtImage(CommandLine cli) {
        if (cli.getCommand() instanceof StopsAtImage) {
            cli.setStopAtPositional(true);
        }
        cli.getSubcommands().values().forEach(Jc::stopAtImage);
    }

    /**
     * The verb's command class, when the command line names one. Picocli builds its model of every registered
     * command by reflection up front, a good part of a cold {@code jc run}; a command line with a verb needs only
     * that verb's. Without one (help, a typo) every verb is registered, for the listing and suggestions.
     */
    static Optional<Class<?>> verb(String[] args) {
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (VALUED_OPTIONS.contains(arg)) {
                i++;
            } else if (!arg.startsWith("-")) {
                if (DECLARED_IN_CODE.containsKey(arg)) {
                    return Optional.of(DECLARED_IN_CODE.get(arg)); // without reading any annotation
                }
                return COMMANDS.stream().filter(c -> !DECLARED_IN_CODE.containsValue(c) && names(c).contains(arg))
                        .findFirst();
            }
        }
        return Optional.empty();
    }

    private static List<String> names(Class<?> command) {
        Command c = command.getAnnotation(Command.class);
        List<String> names = new ArrayList<>(List.of(c.aliases()));
        names.add(c.name());
        return names;
    }

    /** Runs one command line; the exit code follows Docker's CLI (0 ok, 1 error, 2 usage; {@code run}
     * exits with the container's code, or 125/126/127 when it could not run it). */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        return run(args, System.in, out, err);
    }

    /** As {@link #run(String[], PrintWriter, PrintWriter)}, reading {@code -i} input from {@code in}. */
    public static int run(String[] args, InputStream in, PrintWriter out, PrintWriter err) {
        return run(args, in, System.out, out, err);
    }

    /** As above, writing binary output ({@code jc cp CONTAINER:PATH -}) to {@code binaryOut}. */
    public static int run(String[] args, InputStream in, OutputStream binaryOut, PrintWriter out, PrintWriter err) {
        Jc jc = new Jc();
        jc.in = in;
        jc.binaryOut = binaryOut;
        CommandLine cli = new CommandLine(jc.spec());
        Optional<Class<?>> verb = verb(args);
        for (Class<?> command : verb.map(List::<Class<?>>of).orElse(COMMANDS)) {
            cli.addSubcommand(model(command));
        }
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

    /** What picocli registers for a verb: the model of one declared in code (or holding one), else the class. */
    private static Object model(Class<?> command) {
        if (command == RunCommand.class) {
            return RunCommand.spec();
        } else if (command == CreateCommand.class) {
            return CreateCommand.spec();
        } else if (command == ContainerCommand.class) {
            return ContainerCommand.commandLine();
        }
        return command;
    }
}
