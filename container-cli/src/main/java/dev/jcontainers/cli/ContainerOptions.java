package dev.jcontainers.cli;

import dev.jcontainers.api.ContainerBuilder;
import dev.jcontainers.api.HealthCheck;
import dev.jcontainers.api.Ulimit;
import dev.jcontainers.api.ContainerManager;
import dev.jcontainers.api.DataSize;
import dev.jcontainers.api.NamespaceMode;
import dev.jcontainers.api.NetworkMode;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The flags {@code docker create} and {@code docker run} share, and {@code IMAGE [COMMAND [ARG...]]}. Option
 * parsing stops at the image (the commands set {@code stopAtPositional}), so the command's own flags pass
 * through untouched.
 */
final class ContainerOptions {
    @Option(names = "--name", description = "Assign a name to the container.")
    String name;

    @Option(names = "--rm", description = "Automatically remove the container when it exits.")
    boolean autoRemove;

    @Option(names = {"-e", "--env"}, paramLabel = "KEY[=VALUE]",
            description = "Set an environment variable (KEY alone takes the value from this shell).")
    List<String> env = new ArrayList<>();

    @Option(names = "--env-file", paramLabel = "FILE", description = "Read environment variables from a file.")
    List<Path> envFiles = new ArrayList<>();

    @Option(names = {"-w", "--workdir"}, description = "Working directory inside the container.")
    String workdir;

    @Option(names = {"-u", "--user"}, paramLabel = "NAME|UID[:GROUP|GID]", description = "User to run as.")
    String user;

    @Option(names = "--entrypoint", description = "Overwrite the image's ENTRYPOINT (\"\" resets it).")
    String entrypoint;

    @Option(names = "--hostname", description = "Container host name (default: the short container ID).")
    String hostname;

    @Option(names = {"-l", "--label"}, paramLabel = "KEY[=VALUE]", description = "Set metadata on the container.")
    List<String> labels = new ArrayList<>();

    @Option(names = {"-m", "--memory"}, paramLabel = "BYTES", description = "Memory limit (e.g. 64m).")
    String memory;

    @Option(names = "--memory-reservation", paramLabel = "BYTES", description = "Memory soft limit.")
    String memoryReservation;

    @Option(names = "--memory-swap", paramLabel = "BYTES",
            description = "Memory plus swap limit; -1 for unlimited swap.")
    String memorySwap;

    @Option(names = "--cpus", description = "Number of CPUs (a fraction: 0.5 is half a CPU).")
    Double cpus;

    @Option(names = {"-c", "--cpu-shares"}, description = "CPU shares (relative weight).")
    Long cpuShares;

    @Option(names = "--cpuset-cpus", paramLabel = "LIST", description = "CPUs to run on (0-3, 0,1).")
    String cpusetCpus;

    @Option(names = "--cpuset-mems", paramLabel = "LIST", description = "Memory nodes to use (0-3, 0,1).")
    String cpusetMems;

    @Option(names = "--pids-limit", description = "Process limit (-1 or 0 for unlimited).")
    Long pidsLimit;

    @Option(names = {"--network", "--net"}, paramLabel = "MODE",
            description = "none (own namespace, loopback only; the default), host, bridge, container:NAME or a "
                    + "network's name.")
    String network;

    @Option(names = {"-p", "--publish"}, paramLabel = "[IP:][HOST_PORT:]CONTAINER_PORT[/PROTO]",
            description = "Publish a container's port on the host (8080:80, 127.0.0.1:8080:80, 80 for a free "
                    + "host port, 53:53/udp); needs a bridge network.")
    List<String> publish = new ArrayList<>();

    @Option(names = {"-P", "--publish-all"}, description = "Publish every port the image exposes on a free host port.")
    boolean publishAll;

    @Option(names = {"--network-alias", "--net-alias"}, paramLabel = "ALIAS",
            description = "Add a network-scoped alias for the container (user-defined networks).")
    List<String> networkAliases = new ArrayList<>();

    @Option(names = "--health-cmd", paramLabel = "CMD", description = "Command to run to check health (a shell command).")
    String healthCmd;

    @Option(names = "--health-interval", paramLabel = "DURATION", description = "Time between running the check (30s).")
    String healthInterval;

    @Option(names = "--health-timeout", paramLabel = "DURATION", description = "Maximum time one check may take (30s).")
    String healthTimeout;

    @Option(names = "--health-start-period", paramLabel = "DURATION",
            description = "Start period during which failures do not count (0s).")
    String healthStartPeriod;

    @Option(names = "--health-retries", paramLabel = "N", description = "Consecutive failures to report unhealthy (3).")
    Integer healthRetries;

    @Option(names = "--no-healthcheck", description = "Disable any container-specified HEALTHCHECK.")
    boolean noHealthcheck;

    @Option(names = "--cap-add", paramLabel = "CAP", description = "Add a Linux capability (or ALL).")
    List<String> capAdd = new ArrayList<>();

    @Option(names = "--cap-drop", paramLabel = "CAP", description = "Drop a Linux capability (or ALL).")
    List<String> capDrop = new ArrayList<>();

    @Option(names = "--privileged", description = "All capabilities, no seccomp filter, no masked paths.")
    boolean privileged;

    @Option(names = "--security-opt", paramLabel = "OPT",
            description = "no-new-privileges[:true], or seccomp=builtin|unconfined|PROFILE.json.")
    List<String> securityOpts = new ArrayList<>();

    @Option(names = "--group-add", paramLabel = "GROUP", description = "Additional group (name in the image, or id).")
    List<String> groupAdd = new ArrayList<>();

    @Option(names = "--ulimit", paramLabel = "NAME=SOFT[:HARD]", description = "A resource limit, e.g. nofile=1024:2048.")
    List<String> ulimits = new ArrayList<>();

    @Option(names = "--pid", paramLabel = "host", description = "PID namespace to use (host shares the host's).")
    String pid;

    @Option(names = "--ipc", paramLabel = "host", description = "IPC namespace to use (host shares the host's).")
    String ipc;

    @Option(names = "--uts", paramLabel = "host", description = "UTS namespace to use (host shares the host's).")
    String uts;

    @Option(names = "--userns", description = "Run in a user namespace: root inside is unprivileged outside.")
    boolean userns;

    @Option(names = "--read-only", description = "Mount the container's root filesystem read-only.")
    boolean readOnly;

    @Option(names = "--tmpfs", paramLabel = "PATH[:size=..,mode=..]", description = "Mount a tmpfs.")
    List<String> tmpfs = new ArrayList<>();

    @Option(names = {"-v", "--volume"}, paramLabel = "/HOST:/CONTAINER[:ro]", description = "Bind mount a host path.")
    List<String> volumes = new ArrayList<>();

    @Option(names = "--mount", paramLabel = "type=bind|tmpfs,...", description = "Attach a filesystem mount.")
    List<String> mounts = new ArrayList<>();

    @Option(names = "--stop-signal", description = "Signal to stop the container (default: the image's, or SIGTERM).")
    String stopSignal;

    @Option(names = "--stop-timeout", paramLabel = "SECONDS", description = "Seconds to wait before killing on stop.")
    Integer stopTimeout;

    @Option(names = "--restart", paramLabel = "POLICY",
            description = "Restart policy when the container exits: no, on-failure[:max-retries], always, unless-stopped.")
    String restart;

    @Option(names = {"-i", "--interactive"}, description = "Keep STDIN open and forward it to the container.")
    boolean interactive;

    @Option(names = {"-t", "--tty"}, description = "Allocate a pseudo-TTY.")
    boolean tty;

    @Parameters(index = "0", paramLabel = "IMAGE", description = "The image to run.")
    String image;

    @Parameters(index = "1..*", paramLabel = "COMMAND", description = "Command and arguments (replace the image's CMD).")
    List<String> command = new ArrayList<>();

    /**
     * The builder these flags describe, without {@code --rm} (which callers apply: a foreground run removes
     * the container itself after draining its output); {@link IllegalArgumentException} for a malformed value.
     */
    ContainerBuilder toBuilder(ContainerManager manager) {
        ContainerBuilder b = manager.builder().image(image);
        if (tty) {
            b.tty();
        }
        if (interactive) {
            b.stdinOpen();
        }
        if (name != null) {
            b.name(name);
        }
        if (!command.isEmpty()) {
            b.command(command);
        }
        if (entrypoint != null) {
            // Docker takes --entrypoint as one executable, never split on spaces.
            b.entrypoint(entrypoint.isEmpty() ? List.of() : List.of(entrypoint));
        }
        b.env(environment());
        labels.forEach(l -> {
            int eq = l.indexOf('=');
            b.label(eq < 0 ? l : l.substring(0, eq), eq < 0 ? "" : l.substring(eq + 1));
        });
        if (workdir != null) {
            b.workingDir(workdir);
        }
        if (user != null) {
            b.user(user);
        }
        if (hostname != null) {
            b.hostname(hostname);
        }
        if (memory != null) {
            b.memory(DataSize.parse(memory));
        }
        if (memoryReservation != null) {
            b.memoryReservation(DataSize.parse(memoryReservation));
        }
        if (memorySwap != null && !memorySwap.equals("-1")) {
            b.memorySwap(DataSize.parse(memorySwap));
        }
        if (cpus != null) {
            b.cpus(cpus);
        }
        if (cpuShares != null) {
            b.cpuShares(cpuShares);
        }
        if (cpusetCpus != null) {
            b.cpusetCpus(cpusetCpus);
        }
        if (cpusetMems != null) {
            b.cpusetMems(cpusetMems);
        }
        if (pidsLimit != null) {
            b.pidsLimit(pidsLimit <= 0 ? -1 : pidsLimit);
        }
        if (noHealthcheck) {
            b.noHealthCheck();
        } else if (healthCmd != null || healthInterval != null || healthTimeout != null || healthStartPeriod != null
                || healthRetries != null) {
            HealthCheck hc = healthCmd != null ? HealthCheck.shell(healthCmd) : HealthCheck.imageTest();
            if (healthInterval != null) {
                hc = hc.withInterval(Format.duration(healthInterval));
            }
            if (healthTimeout != null) {
                hc = hc.withTimeout(Format.duration(healthTimeout));
            }
            if (healthStartPeriod != null) {
                hc = hc.withStartPeriod(Format.duration(healthStartPeriod));
            }
            if (healthRetries != null) {
                hc = hc.withRetries(healthRetries);
            }
            b.healthCheck(hc);
        }
        capAdd.forEach(c -> b.capAdd(c));
        capDrop.forEach(c -> b.capDrop(c));
        if (privileged) {
            b.privileged();
        }
        for (String opt : securityOpts) {
            if (opt.equals("no-new-privileges") || opt.equals("no-new-privileges:true")
                    || opt.equals("no-new-privileges=true")) {
                b.noNewPrivileges();
            } else if (opt.startsWith("seccomp=") || opt.startsWith("seccomp:")) {
                b.seccompProfile(opt.substring("seccomp=".length()));
            } else if (!opt.equals("no-new-privileges:false")) {
                throw new IllegalArgumentException("unsupported --security-opt " + opt);
            }
        }
        groupAdd.forEach(g -> b.groupAdd(g));
        ulimits.forEach(u -> b.ulimit(Ulimit.parse(u)));
        if (network != null) {
            NetworkMode mode = NetworkMode.parse(network);
            if (!networkAliases.isEmpty()) {
                if (!(mode instanceof NetworkMode.Bridge bridge)) {
                    throw new IllegalArgumentException("network-scoped aliases are only supported for user-defined networks");
                }
                mode = NetworkMode.bridge(bridge.network(), networkAliases);
            }
            b.network(mode);
        } else if (!networkAliases.isEmpty()) {
            throw new IllegalArgumentException("network-scoped aliases are only supported for user-defined networks");
        }
        publish.forEach(p -> b.publish(p));
        if (publishAll) {
            b.publishAllPorts();
        }
        if (pid != null) {
            b.pid(NamespaceMode.parse(pid));
        }
        if (ipc != null) {
            b.ipc(NamespaceMode.parse(ipc));
        }
        if (uts != null) {
            b.uts(NamespaceMode.parse(uts));
        }
        if (userns) {
            b.userNamespace();
        }
        if (readOnly) {
            b.readOnlyRootfs();
        }
        volumes.forEach(v -> b.mount(MountParser.volume(v)));
        mounts.forEach(m -> b.mount(MountParser.mount(m)));
        tmpfs.forEach(t -> b.mount(MountParser.tmpfs(t)));
        if (stopSignal != null) {
            b.stopSignal(stopSignal);
        }
        if (stopTimeout != null) {
            b.stopTimeout(Duration.ofSeconds(stopTimeout));
        }
        if (restart != null) {
            b.restartPolicy(dev.jcontainers.api.RestartPolicy.parse(restart));
        }
        return b;
    }

    /** {@code --env-file}s first, then {@code -e}, later values winning, as Docker merges them. */
    Map<String, String> environment() {
        Map<String, String> out = new LinkedHashMap<>();
        for (Path file : envFiles) {
            try {
                for (String line : Files.readAllLines(file)) {
                    String t = line.stripLeading();
                    if (!t.isEmpty() && !t.startsWith("#")) {
                        addVariable(out, t);
                    }
                }
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot read env file " + file + ": " + e.getMessage(), e);
            }
        }
        env.forEach(e -> addVariable(out, e));
        return out;
    }

    private static void addVariable(Map<String, String> out, String entry) {
        int eq = entry.indexOf('=');
        if (eq == 0) {
            throw new IllegalArgumentException("invalid environment variable: " + entry);
        }
        if (eq > 0) {
            out.put(entry.substring(0, eq), entry.substring(eq + 1));
        } else if (System.getenv(entry) != null) {
            out.put(entry, System.getenv(entry));
        }
    }
}
