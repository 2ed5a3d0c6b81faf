package dev.jcontainers.cli;

import dev.jcontainers.api.ContainerBuilder;
import dev.jcontainers.api.HealthCheck;
import dev.jcontainers.api.Ulimit;
import dev.jcontainers.api.ContainerManager;
import dev.jcontainers.api.DataSize;
import dev.jcontainers.api.NamespaceMode;
import dev.jcontainers.api.NetworkMode;
import picocli.CommandLine.Model.CommandSpec;

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
    String name;
    boolean autoRemove;
    List<String> env = new ArrayList<>();
    List<Path> envFiles = new ArrayList<>();
    String workdir;
    String user;
    String entrypoint;
    String hostname;
    List<String> labels = new ArrayList<>();
    String memory;
    String memoryReservation;
    String memorySwap;
    Double cpus;
    Long cpuShares;
    String cpusetCpus;
    String cpusetMems;
    Long pidsLimit;
    String network;
    List<String> publish = new ArrayList<>();
    boolean publishAll;
    List<String> networkAliases = new ArrayList<>();
    String healthCmd;
    String healthInterval;
    String healthTimeout;
    String healthStartPeriod;
    Integer healthRetries;
    boolean noHealthcheck;
    List<String> capAdd = new ArrayList<>();
    List<String> capDrop = new ArrayList<>();
    boolean privileged;
    List<String> securityOpts = new ArrayList<>();
    List<String> groupAdd = new ArrayList<>();
    List<String> ulimits = new ArrayList<>();
    String pid;
    String ipc;
    String uts;
    boolean userns;
    boolean readOnly;
    List<String> tmpfs = new ArrayList<>();
    List<String> volumes = new ArrayList<>();
    List<String> mounts = new ArrayList<>();
    String stopSignal;
    Integer stopTimeout;
    String restart;
    boolean interactive;
    boolean tty;
    String image;
    List<String> command = new ArrayList<>();

    /** Declares these flags and {@code IMAGE [COMMAND...]} on {@code spec}, bound to this object. */
    void addTo(CommandSpec spec) {
        SpecBuilder b = new SpecBuilder(spec);
        b.option("--name").label("<name>").description("Assign a name to the container.")
                .value(String.class, () -> name, v -> name = v);
        b.option("--rm").description("Automatically remove the container when it exits.")
                .flag(() -> autoRemove, v -> autoRemove = v);
        b.option("-e", "--env").label("KEY[=VALUE]")
                .description("Set an environment variable (KEY alone takes the value from this shell).")
                .list(String.class, () -> env, v -> env = v);
        b.option("--env-file").label("FILE").description("Read environment variables from a file.")
                .list(Path.class, () -> envFiles, v -> envFiles = v);
        b.option("-w", "--workdir").label("<workdir>").description("Working directory inside the container.")
                .value(String.class, () -> workdir, v -> workdir = v);
        b.option("-u", "--user").label("NAME|UID[:GROUP|GID]").description("User to run as.")
                .value(String.class, () -> user, v -> user = v);
        b.option("--entrypoint").label("<entrypoint>")
                .description("Overwrite the image's ENTRYPOINT (\"\" resets it).")
                .value(String.class, () -> entrypoint, v -> entrypoint = v);
        b.option("--hostname").label("<hostname>")
                .description("Container host name (default: the short container ID).")
                .value(String.class, () -> hostname, v -> hostname = v);
        b.option("-l", "--label").label("KEY[=VALUE]").description("Set metadata on the container.")
                .list(String.class, () -> labels, v -> labels = v);
        b.option("-m", "--memory").label("BYTES").description("Memory limit (e.g. 64m).")
                .value(String.class, () -> memory, v -> memory = v);
        b.option("--memory-reservation").label("BYTES").description("Memory soft limit.")
                .value(String.class, () -> memoryReservation, v -> memoryReservation = v);
        b.option("--memory-swap").label("BYTES").description("Memory plus swap limit; -1 for unlimited swap.")
                .value(String.class, () -> memorySwap, v -> memorySwap = v);
        b.option("--cpus").label("<cpus>").description("Number of CPUs (a fraction: 0.5 is half a CPU).")
                .value(Double.class, () -> cpus, v -> cpus = v);
        b.option("-c", "--cpu-shares").label("<cpuShares>").description("CPU shares (relative weight).")
                .value(Long.class, () -> cpuShares, v -> cpuShares = v);
        b.option("--cpuset-cpus").label("LIST").description("CPUs to run on (0-3, 0,1).")
                .value(String.class, () -> cpusetCpus, v -> cpusetCpus = v);
        b.option("--cpuset-mems").label("LIST").description("Memory nodes to use (0-3, 0,1).")
                .value(String.class, () -> cpusetMems, v -> cpusetMems = v);
        b.option("--pids-limit").label("<pidsLimit>").description("Process limit (-1 or 0 for unlimited).")
                .value(Long.class, () -> pidsLimit, v -> pidsLimit = v);
        b.option("--network", "--net").label("MODE")
                .description("none (own namespace, loopback only; the default), host, bridge, container:NAME or a "
                        + "network's name.")
                .value(String.class, () -> network, v -> network = v);
        b.option("-p", "--publish").label("[IP:][HOST_PORT:]CONTAINER_PORT[/PROTO]")
                .description("Publish a container's port on the host (8080:80, 127.0.0.1:8080:80, 80 for a free "
                        + "host port, 53:53/udp); needs a bridge network.")
                .list(String.class, () -> publish, v -> publish = v);
        b.option("-P", "--publish-all").description("Publish every port the image exposes on a free host port.")
                .flag(() -> publishAll, v -> publishAll = v);
        b.option("--network-alias", "--net-alias").label("ALIAS")
                .description("Add a network-scoped alias for the container (user-defined networks).")
                .list(String.class, () -> networkAliases, v -> networkAliases = v);
        b.option("--health-cmd").label("CMD").description("Command to run to check health (a shell command).")
                .value(String.class, () -> healthCmd, v -> healthCmd = v);
        b.option("--health-interval").label("DURATION").description("Time between running the check (30s).")
                .value(String.class, () -> healthInterval, v -> healthInterval = v);
        b.option("--health-timeout").label("DURATION").description("Maximum time one check may take (30s).")
                .value(String.class, () -> healthTimeout, v -> healthTimeout = v);
        b.option("--health-start-period").label("DURATION")
                .description("Start period during which failures do not count (0s).")
                .value(String.class, () -> healthStartPeriod, v -> healthStartPeriod = v);
        b.option("--health-retries").label("N").description("Consecutive failures to report unhealthy (3).")
                .value(Integer.class, () -> healthRetries, v -> healthRetries = v);
        b.option("--no-healthcheck").description("Disable any container-specified HEALTHCHECK.")
                .flag(() -> noHealthcheck, v -> noHealthcheck = v);
        b.option("--cap-add").label("CAP").description("Add a Linux capability (or ALL).")
                .list(String.class, () -> capAdd, v -> capAdd = v);
        b.option("--cap-drop").label("CAP").description("Drop a Linux capability (or ALL).")
                .list(String.class, () -> capDrop, v -> capDrop = v);
        b.option("--privileged").description("All capabilities, no seccomp filter, no masked paths.")
                .flag(() -> privileged, v -> privileged = v);
        b.option("--security-opt").label("OPT")
                .description("no-new-privileges[:true], or seccomp=builtin|unconfined|PROFILE.json.")
                .list(String.class, () -> securityOpts, v -> securityOpts = v);
        b.option("--group-add").label("GROUP").description("Additional group (name in the image, or id).")
                .list(String.class, () -> groupAdd, v -> groupAdd = v);
        b.option("--ulimit").label("NAME=SOFT[:HARD]").description("A resource limit, e.g. nofile=1024:2048.")
                .list(String.class, () -> ulimits, v -> ulimits = v);
        b.option("--pid").label("host").description("PID namespace to use (host shares the host's).")
                .value(String.class, () -> pid, v -> pid = v);
        b.option("--ipc").label("host").description("IPC namespace to use (host shares the host's).")
                .value(String.class, () -> ipc, v -> ipc = v);
        b.option("--uts").label("host").description("UTS namespace to use (host shares the host's).")
                .value(String.class, () -> uts, v -> uts = v);
        b.option("--userns").description("Run in a user namespace: root inside is unprivileged outside.")
                .flag(() -> userns, v -> userns = v);
        b.option("--read-only").description("Mount the container's root filesystem read-only.")
                .flag(() -> readOnly, v -> readOnly = v);
        b.option("--tmpfs").label("PATH[:size=..,mode=..]").description("Mount a tmpfs.")
                .list(String.class, () -> tmpfs, v -> tmpfs = v);
        b.option("-v", "--volume").label("/HOST:/CONTAINER[:ro]").description("Bind mount a host path.")
                .list(String.class, () -> volumes, v -> volumes = v);
        b.option("--mount").label("type=bind|tmpfs,...").description("Attach a filesystem mount.")
                .list(String.class, () -> mounts, v -> mounts = v);
        b.option("--stop-signal").label("<stopSignal>")
                .description("Signal to stop the container (default: the image's, or SIGTERM).")
                .value(String.class, () -> stopSignal, v -> stopSignal = v);
        b.option("--stop-timeout").label("SECONDS").description("Seconds to wait before killing on stop.")
                .value(Integer.class, () -> stopTimeout, v -> stopTimeout = v);
        b.option("--restart").label("POLICY")
                .description("Restart policy when the container exits: no, on-failure[:max-retries], always, "
                        + "unless-stopped.")
                .value(String.class, () -> restart, v -> restart = v);
        b.option("-i", "--interactive").description("Keep STDIN open and forward it to the container.")
                .flag(() -> interactive, v -> interactive = v);
        b.option("-t", "--tty").description("Allocate a pseudo-TTY.").flag(() -> tty, v -> tty = v);
        b.positional("0").label("IMAGE").description("The image to run.")
                .value(String.class, () -> image, v -> image = v);
        b.positional("1..*").label("COMMAND").description("Command and arguments (replace the image's CMD).")
                .list(String.class, () -> command, v -> command = v);
    }

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
