package dev.jcontainers.api;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Fluent construction of a container, the shape of {@code docker run}'s flags:
 *
 * <pre>{@code
 * try (Container c = Containers.builder()
 *         .image("127.0.0.1:5000/busybox:1.36")
 *         .command("sh", "-c", "echo hello")
 *         .memory(DataSize.ofMegabytes(64)).cpus(0.5).pidsLimit(64)
 *         .start()) {
 *     int exit = c.waitFor(Duration.ofSeconds(10));
 * }
 * }</pre>
 */
public final class ContainerBuilder {
    /** How long {@link #waitingFor(WaitStrategy)} waits: a minute, as Testcontainers does. */
    public static final Duration DEFAULT_WAIT_TIMEOUT = Duration.ofSeconds(60);
    private final Supplier<ContainerManager> manager;
    private String image;
    private String name;
    private List<String> entrypoint;
    private List<String> command;
    private final Map<String, String> env = new LinkedHashMap<>();
    private String workingDir;
    private String user;
    private String hostname;
    private final Map<String, String> labels = new LinkedHashMap<>();
    private DataSize memory;
    private DataSize memoryReservation;
    private DataSize memorySwap;
    private Double cpus;
    private Long cpuShares;
    private String cpusetCpus;
    private String cpusetMems;
    private Long pidsLimit;
    private NetworkMode network;
    private NamespaceMode pidMode;
    private NamespaceMode ipcMode;
    private NamespaceMode utsMode;
    private boolean userNamespace;
    private boolean readOnlyRootfs;
    private final List<MountSpec> mounts = new ArrayList<>();
    private final List<PortBinding> ports = new ArrayList<>();
    private boolean autoRemove;
    private boolean detached;
    private RestartPolicy restartPolicy;
    private String stopSignal;
    private Duration stopTimeout;
    private final List<String> capAdd = new ArrayList<>();
    private final List<String> capDrop = new ArrayList<>();
    private boolean privileged;
    private boolean noNewPrivileges;
    private String seccompProfile;
    private final List<String> groupAdd = new ArrayList<>();
    private final Map<String, Ulimit> ulimits = new LinkedHashMap<>();

    private Integer blkioWeight;
    private final List<BlkioLimit> blkioLimits = new ArrayList<>();
    private Duration monotonicOffset;
    private Duration boottimeOffset;
    private HealthCheck healthCheck;
    private WaitStrategy waitStrategy;
    private Duration waitTimeout;
    private boolean publishAllPorts;
    private boolean tty;
    private boolean stdinOpen;

    public ContainerBuilder(ContainerManager manager) {
        Objects.requireNonNull(manager, "manager");
        this.manager = () -> manager;
    }

    ContainerBuilder(Supplier<ContainerManager> manager) {
        this.manager = manager;
    }

    public ContainerBuilder image(String reference) {
        this.image = reference;
        return this;
    }

    public ContainerBuilder name(String name) {
        this.name = name;
        return this;
    }

    /** Replaces the image's ENTRYPOINT; no arguments resets it (Docker's {@code --entrypoint ""}). */
    public ContainerBuilder entrypoint(String... entrypoint) {
        this.entrypoint = List.of(entrypoint);
        return this;
    }

    public ContainerBuilder entrypoint(List<String> entrypoint) {
        this.entrypoint = List.copyOf(entrypoint);
        return this;
    }

    /** Replaces the image's CMD (the arguments after the image in {@code docker run}). */
    public ContainerBuilder command(String... command) {
        this.command = List.of(command);
        return this;
    }

    public ContainerBuilder command(List<String> command) {
        this.command = List.copyOf(command);
        return this;
    }

    public ContainerBuilder env(String key, String value) {
        env.put(key, value);
        return this;
    }

    public ContainerBuilder env(Map<String, String> variables) {
        env.putAll(variables);
        return this;
    }

    public ContainerBuilder workingDir(String dir) {
        this.workingDir = dir;
        return this;
    }

    /** {@code name|uid[:group|gid]}, resolved against the image's own /etc/passwd and /etc/group. */
    public ContainerBuilder user(String user) {
        this.user = user;
        return this;
    }

    public ContainerBuilder hostname(String hostname) {
        this.hostname = hostname;
        return this;
    }

    public ContainerBuilder label(String key, String value) {
        labels.put(key, value);
        return this;
    }

    public ContainerBuilder memory(DataSize limit) {
        this.memory = limit;
        return this;
    }

    public ContainerBuilder memoryReservation(DataSize soft) {
        this.memoryReservation = soft;
        return this;
    }

    /** Memory plus swap, as Docker's {@code --memory-swap}. */
    public ContainerBuilder memorySwap(DataSize memoryPlusSwap) {
        this.memorySwap = memoryPlusSwap;
        return this;
    }

    public ContainerBuilder cpus(double cpus) {
        this.cpus = cpus;
        return this;
    }

    public ContainerBuilder cpuShares(long shares) {
        this.cpuShares = shares;
        return this;
    }

    public ContainerBuilder cpusetCpus(String cpus) {
        this.cpusetCpus = cpus;
        return this;
    }

    public ContainerBuilder cpusetMems(String mems) {
        this.cpusetMems = mems;
        return this;
    }

    public ContainerBuilder pidsLimit(long limit) {
        this.pidsLimit = limit;
        return this;
    }

    public ContainerBuilder network(NetworkMode mode) {
        this.network = mode;
        return this;
    }

    public ContainerBuilder pid(NamespaceMode mode) {
        this.pidMode = mode;
        return this;
    }

    public ContainerBuilder ipc(NamespaceMode mode) {
        this.ipcMode = mode;
        return this;
    }

    public ContainerBuilder uts(NamespaceMode mode) {
        this.utsMode = mode;
        return this;
    }

    /** Runs in a user namespace: root inside is an unprivileged user outside. */
    public ContainerBuilder userNamespace() {
        this.userNamespace = true;
        return this;
    }

    public ContainerBuilder readOnlyRootfs() {
        this.readOnlyRootfs = true;
        return this;
    }

    public ContainerBuilder bind(String hostPath, String containerPath) {
        mounts.add(new MountSpec.Bind(hostPath, containerPath, false));
        return this;
    }

    public ContainerBuilder bindReadOnly(String hostPath, String containerPath) {
        mounts.add(new MountSpec.Bind(hostPath, containerPath, true));
        return this;
    }

    public ContainerBuilder volume(String name, String containerPath) {
        mounts.add(new MountSpec.Volume(name, containerPath, false));
        return this;
    }

    public ContainerBuilder tmpfs(String containerPath) {
        mounts.add(new MountSpec.Tmpfs(containerPath, null, null));
        return this;
    }

    public ContainerBuilder tmpfs(String containerPath, DataSize size) {
        mounts.add(new MountSpec.Tmpfs(containerPath, size, null));
        return this;
    }

    public ContainerBuilder mount(MountSpec mount) {
        mounts.add(mount);
        return this;
    }

    /** {@code -p hostPort:containerPort}, TCP on every host address; hostPort 0 picks a free one. */
    public ContainerBuilder publish(int hostPort, int containerPort) {
        ports.add(new PortBinding(null, hostPort, containerPort, "tcp"));
        return this;
    }

    /** {@code -p} in Docker's syntax: {@code 8080:80}, {@code 127.0.0.1:8080:80}, {@code 80}, {@code 53:53/udp}. */
    public ContainerBuilder publish(String spec) {
        ports.add(PortBinding.parse(spec));
        return this;
    }

    public ContainerBuilder publish(PortBinding binding) {
        ports.add(Objects.requireNonNull(binding, "binding"));
        return this;
    }

    /** {@code -P}: every port the image {@code EXPOSE}s, each on a free host port. */
    public ContainerBuilder publishAllPorts() {
        this.publishAllPorts = true;
        return this;
    }

    /** Removes the container when it exits ({@code --rm}). */
    public ContainerBuilder autoRemove() {
        this.autoRemove = true;
        return this;
    }

    /** Lets the container outlive this JVM ({@code -d}); by default it is a sandbox that dies with it. */
    public ContainerBuilder detached() {
        this.detached = true;
        return this;
    }

    public ContainerBuilder stopSignal(String signal) {
        this.stopSignal = signal;
        return this;
    }

    public ContainerBuilder stopTimeout(Duration timeout) {
        this.stopTimeout = timeout;
        return this;
    }

    /** Adds capabilities to Docker's default set ({@code --cap-add}): {@code NET_ADMIN}, {@code CAP_NET_ADMIN} or {@code ALL}. */
    public ContainerBuilder capAdd(String... capabilities) {
        capAdd.addAll(List.of(capabilities));
        return this;
    }

    /** Removes capabilities from Docker's default set ({@code --cap-drop}); {@code ALL} keeps only the added ones. */
    public ContainerBuilder capDrop(String... capabilities) {
        capDrop.addAll(List.of(capabilities));
        return this;
    }

    /**
     * {@code --privileged}: every capability, no seccomp filter, no masked or read-only paths and a writable
     * {@code /sys}. The container can then do what root on the host can.
     */
    public ContainerBuilder privileged() {
        this.privileged = true;
        return this;
    }

    /** {@code --security-opt no-new-privileges}: setuid binaries and file capabilities no longer raise privileges. */
    public ContainerBuilder noNewPrivileges() {
        this.noNewPrivileges = true;
        return this;
    }

    /**
     * {@code --security-opt seccomp=VALUE}: {@code builtin} (Docker's default profile, also without this call),
     * {@code unconfined}, or the path of a profile in Docker's JSON format, read when the container is created.
     */
    public ContainerBuilder seccompProfile(String builtinUnconfinedOrPath) {
        this.seccompProfile = Objects.requireNonNull(builtinUnconfinedOrPath, "seccomp profile");
        return this;
    }

    /** Supplementary groups ({@code --group-add}): names from the image's {@code /etc/group}, or numeric gids. */
    public ContainerBuilder groupAdd(String... groups) {
        groupAdd.addAll(List.of(groups));
        return this;
    }

    /** A resource limit ({@code --ulimit nofile=1024:2048}); -1 is unlimited; a later call for a name wins. */
    public ContainerBuilder ulimit(String name, long soft, long hard) {
        Ulimit limit = new Ulimit(name, soft, hard);
        ulimits.put(limit.name(), limit);
        return this;
    }

    public ContainerBuilder ulimit(Ulimit limit) {
        ulimits.put(limit.name(), limit);
        return this;
    }

    /** Relative block I/O weight, 10 to 1000 ({@code --blkio-weight}). */
    public ContainerBuilder blkioWeight(int weight) {
        this.blkioWeight = weight;
        return this;
    }

    public ContainerBuilder blkioLimit(BlkioLimit limit) {
        blkioLimits.add(limit);
        return this;
    }

    /**
     * Runs the container in its own TIME namespace whose monotonic and boot-time clocks are shifted by
     * these offsets (Linux 5.6+): the container sees an uptime of its own.
     */
    public ContainerBuilder clockOffsets(Duration monotonic, Duration boottime) {
        this.monotonicOffset = monotonic;
        this.boottimeOffset = boottime;
        return this;
    }

    /** The health check ({@code --health-cmd} and friends); fields left null take the image's values. */
    public ContainerBuilder healthCheck(HealthCheck check) {
        this.healthCheck = Objects.requireNonNull(check, "health check");
        return this;
    }

    /** No health check, not even the image's ({@code --no-healthcheck}). */
    public ContainerBuilder noHealthCheck() {
        this.healthCheck = HealthCheck.NONE;
        return this;
    }

    /**
     * Makes {@link #start()} return only once {@code strategy} holds, within {@link #DEFAULT_WAIT_TIMEOUT}.
     * When the wait fails the container is removed and the {@link ContainerWaitException} (with its last
     * log lines) is thrown.
     */
    public ContainerBuilder waitingFor(WaitStrategy strategy) {
        return waitingFor(strategy, DEFAULT_WAIT_TIMEOUT);
    }

    public ContainerBuilder waitingFor(WaitStrategy strategy, Duration timeout) {
        this.waitStrategy = Objects.requireNonNull(strategy, "wait strategy");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("wait timeout must be positive: " + timeout);
        }
        this.waitTimeout = timeout;
        return this;
    }

    /** What to do when the process exits ({@code --restart}); see {@link RestartPolicy}. */
    public ContainerBuilder restartPolicy(RestartPolicy policy) {
        this.restartPolicy = Objects.requireNonNull(policy, "restart policy");
        return this;
    }

    /** A pseudo-terminal for the process ({@code -t}). */
    public ContainerBuilder tty() {
        this.tty = true;
        return this;
    }

    /** Keeps stdin open for the caller that {@linkplain Container#startAttached() attaches} ({@code -i}). */
    public ContainerBuilder stdinOpen() {
        this.stdinOpen = true;
        return this;
    }

    public ContainerSpec build() {
        return new ContainerSpec(image, name, entrypoint, command, env, workingDir, user, hostname, labels, memory,
                memoryReservation, memorySwap, cpus, cpuShares, cpusetCpus, cpusetMems, pidsLimit, network, pidMode,
                ipcMode, utsMode, userNamespace, readOnlyRootfs, mounts, ports, autoRemove, detached, stopSignal,
                stopTimeout, capAdd, capDrop, privileged, noNewPrivileges, seccompProfile, groupAdd,
                List.copyOf(ulimits.values()), blkioWeight, blkioLimits, monotonicOffset, boottimeOffset,
                healthCheck, restartPolicy, publishAllPorts, tty, stdinOpen);
    }

    /** Creates the container without starting it. */
    public Container create() {
        return manager.get().create(build());
    }

    /** Creates and starts the container; with {@link #waitingFor} returns once it is ready. */
    public Container start() {
        Container c = manager.get().run(build());
        if (waitStrategy != null) {
            try {
                c.waitUntil(waitStrategy, waitTimeout);
            } catch (RuntimeException e) {
                try {
                    c.close();
                } catch (RuntimeException cleanup) {
                    e.addSuppressed(cleanup);
                }
                throw e;
            }
        }
        return c;
    }

}
