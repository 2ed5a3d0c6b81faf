package dev.jcontainers.core.container;

import dev.jcontainers.api.BindPropagation;
import dev.jcontainers.api.Container;
import dev.jcontainers.api.ContainerException;
import dev.jcontainers.api.ContainerInfo;
import dev.jcontainers.api.ContainerManager;
import dev.jcontainers.api.ContainerNotFoundException;
import dev.jcontainers.api.ContainerSpec;
import dev.jcontainers.api.ContainerStats;
import dev.jcontainers.api.ContainerStateException;
import dev.jcontainers.api.ContainerStatus;
import dev.jcontainers.api.AttachedProcess;
import dev.jcontainers.api.EngineOptions.LaunchPreparation;
import dev.jcontainers.api.ExecOptions;
import dev.jcontainers.api.ExecResult;
import dev.jcontainers.api.HealthStatus;
import dev.jcontainers.api.MountSpec;
import dev.jcontainers.api.NetworkMode;
import dev.jcontainers.api.ProcessInfo;
import dev.jcontainers.api.PullOptions;
import dev.jcontainers.api.RestartPolicy;
import dev.jcontainers.api.StorageException;
import dev.jcontainers.api.WaitTimeoutException;
import dev.jcontainers.core.image.ImageService;
import dev.jcontainers.core.image.RunnableImage;
import dev.jcontainers.core.network.HostsFile;
import dev.jcontainers.core.network.NetworkService;
import dev.jcontainers.core.network.ResolvConf;
import dev.jcontainers.core.volume.VolumeService;
import dev.jcontainers.core.volume.VolumeUse;
import dev.jcontainers.linux.cgroup.CgroupException;
import dev.jcontainers.linux.cgroup.CgroupLimits;
import dev.jcontainers.linux.cgroup.DeviceRate;
import dev.jcontainers.linux.cgroup.CgroupManager;
import dev.jcontainers.linux.cgroup.CgroupStats;
import dev.jcontainers.linux.cgroup.CgroupVersion;
import dev.jcontainers.linux.cgroup.Cgroups;
import dev.jcontainers.linux.launch.ExitStatus;
import dev.jcontainers.linux.launch.LaunchPlan;
import dev.jcontainers.linux.launch.LaunchedContainer;
import dev.jcontainers.linux.launch.Launcher;
import dev.jcontainers.linux.launch.RestartRecord;
import dev.jcontainers.linux.launch.SyncHook;
import dev.jcontainers.linux.mount.MountInfo;
import dev.jcontainers.linux.namespace.Namespace;
import dev.jcontainers.linux.mount.Mounts;
import dev.jcontainers.linux.proc.ProcessTable;
import dev.jcontainers.linux.launch.AttachPipes;
import dev.jcontainers.linux.fs.RootedTree;
import dev.jcontainers.core.copy.DockerCopy;
import dev.jcontainers.core.copy.HostEndpoint;
import dev.jcontainers.core.copy.Ownership;
import dev.jcontainers.oci.image.ImageConfig;
import dev.jcontainers.oci.image.OciJson;
import dev.jcontainers.oci.runtime.RuntimeSpec;
import dev.jcontainers.oci.runtime.RuntimeSpecJson;
import dev.jcontainers.oci.store.AtomicFiles;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The container lifecycle over one engine root: create (overlay rootfs, runtime spec), start (cgroup,
 * launch helper), wait, stop, kill, remove; state on disk so another JVM can take over detached containers.
 *
 * <p>Sandbox containers (the default) belong to the JVM that created them: the launch helper kills them
 * when this JVM dies, a shutdown hook removes them on a normal exit, and the next engine on the same root
 * removes what a crashed JVM left behind.
 */
public final class ContainerService implements ContainerManager, AutoCloseable {
    static final String CGROUP_PARENT = Cgroups.DEFAULT_PARENT;
    private static final Duration DEFAULT_STOP_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration HEALTH_POLL = Duration.ofMillis(20);
    /** The runtime spec create derived, in the container's directory. */
    private static final String SPEC_FILE = "config.json";

    private final Path root;
    private final ImageService images;
    private final ContainerStore store;
    private final NetworkService networks;
    private final VolumeService volumes;
    private final Map<String, Running> running = new ConcurrentHashMap<>();
    /** The runtime spec of each container this engine created and has not started yet: what config.json holds. */
    private final Map<String, RuntimeSpec> createdSpecs = new ConcurrentHashMap<>();
    private final Map<String, ReentrantLock> locks = new ConcurrentHashMap<>();
    private final long ownerPid = ProcessHandle.current().pid();
    private final String ownerStarted = ProcessHandle.current().info().startInstant().map(Instant::toString).orElse("");
    private final Thread shutdownHook;
    private final HealthMonitor health;
    /**
     * Exit watchers and prepared-launch refills. Pooled: a new thread's start makes the starting thread wait
     * for it to come up (1-2 ms of a container's start on a busy host). Platform threads: waiting is a native
     * poll, which would pin (and starve) a virtual thread's carrier. Idle threads end after two seconds, all at close.
     */
    private final ExecutorService background = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 2, TimeUnit.SECONDS,
            new SynchronousQueue<>(), Thread.ofPlatform().daemon().name("jc-engine-", 0).factory());
    private volatile Launcher launcher;
    private volatile Cgroups cgroups;
    private final LaunchPreparation launchPreparation;
    private PreparedLaunches preparedLaunches; // v1 only, made on the first start (KEEP_READY) or at open (ONCE)
    private final LaunchAhead ahead; // ONCE: the preparation begun when the engine opened; else null

    /** A container launched by this JVM: its process handle, cgroup, start time (as recorded), and the future its exit completes. */
    private record Running(LaunchedContainer process, CgroupManager cgroup, String startedAt,
                           CompletableFuture<Integer> exit, boolean tty) {
    }

    public ContainerService(Path root, ImageService images) {
        this(root, images, new NetworkService(root));
    }

    public ContainerService(Path root, ImageService images, NetworkService networks) {
        this(root, images, networks, new VolumeService(root));
    }

    public ContainerService(Path root, ImageService images, NetworkService networks, VolumeService volumes) {
        this(root, images, networks, volumes, LaunchPreparation.KEEP_READY);
    }

    /** With {@code launchPreparation}, see {@link dev.jcontainers.api.EngineOptions#launchPreparation()}. */
    public ContainerService(Path root, ImageService images, NetworkService networks, VolumeService volumes,
                            LaunchPreparation launchPreparation) {
        this(root, images, networks, volumes, launchPreparation,
                launchPreparation == LaunchPreparation.ONCE ? LaunchAhead.begin(root) : null);
    }

    /**
     * With {@code ahead}, for {@link LaunchPreparation#ONCE}: a preparation the engine began as it opened (this
     * service takes its cgroup layout, launcher and prepared helper, and ends the helper if no start took it).
     */
    public ContainerService(Path root, ImageService images, NetworkService networks, VolumeService volumes,
                            LaunchPreparation launchPreparation, LaunchAhead ahead) {
        this.root = root;
        this.launchPreparation = launchPreparation;
        this.ahead = launchPreparation == LaunchPreparation.ONCE ? ahead : null;
        this.images = images;
        this.networks = networks;
        this.volumes = volumes;
        this.store = new ContainerStore(root.resolve("containers"));
        this.health = new HealthMonitor(this::exec, this::isRunning, store::dir);
        images.setInUseCheck(imageId -> store.list().stream().anyMatch(r -> imageId.equals(r.imageId())));
        collectAndAdopt();
        this.shutdownHook = Thread.ofPlatform().unstarted(this::removeOwnSandboxes);
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    // ---- ContainerManager -------------------------------------------------------------------------

    @Override
    public Container create(ContainerSpec spec) {
        checkSupported(spec);
        RunnableImage image = images.prepareForRun(spec.image(), PullOptions.defaults());
        String id = NameGenerator.newId();
        String hostname = spec.hostname() != null ? spec.hostname() : id.substring(0, 12);
        ImageConfig.RuntimeConfig ic = image.config().config();
        String stopSignal = spec.stopSignal() != null ? spec.stopSignal()
                : ic != null && ic.stopSignal() != null ? ic.stopSignal() : "SIGTERM";
        Signals.parse(stopSignal);
        Duration stopTimeout = spec.stopTimeout() != null ? spec.stopTimeout() : DEFAULT_STOP_TIMEOUT;
        List<String> layers = image.layerDirs().stream().map(Path::toString).toList();
        // what the runtime spec's process will run: in the record from the start, which so is written once
        List<String> args = ProcessArgs.resolve(ic == null ? null : ic.entrypoint(), ic == null ? null : ic.cmd(),
                spec.entrypoint(), spec.command());
        ContainerRecord record = claim(spec, id, image, hostname, stopSignal, stopTimeout, layers, args);
        Path dir = store.dir(id);
        try {
            if (spec.userNamespace()) {
                prepareForUserNamespace(dir);
            }
            Path rootfs = Rootfs.mount(dir, layers, spec.detached());
            String userSpec = spec.user() != null ? spec.user() : ic == null ? null : ic.user();
            UserResolver.ResolvedUser user = UserResolver.resolve(rootfs, userSpec);
            writeEtcFiles(dir, hostname, spec.network());
            if (spec.network() instanceof NetworkMode.Container c) {
                store.resolve(c.nameOrId());
            }
            networks.join(id, record.name(), hostname, spec.network());
            networks.requestPorts(id, PublishedPorts.resolve(spec, ic == null ? null : ic.exposedPorts()));
            List<MountSpec> mounts = volumes.attach(dir, rootfs, spec.mounts(),
                    ic == null || ic.volumes() == null ? List.of() : ic.volumes().keySet());
            RuntimeSpec rs = RuntimeSpecFactory.create(id, spec, image.config(), user, hostname, dir, mounts);
            if (spec.detached()) { // durable like the record: see ContainerStore.save
                AtomicFiles.write(dir.resolve(SPEC_FILE), RuntimeSpecJson.write(rs), dir, ".config-");
            } else {
                AtomicFiles.writeUnsynced(dir.resolve(SPEC_FILE), RuntimeSpecJson.write(rs), dir, ".config-");
            }
            HealthMonitor.resolve(spec.healthCheck(), ic == null ? null : ic.healthcheck())
                    .ifPresent(check -> HealthMonitor.saveConfig(dir, check));
            createdSpecs.put(id, rs);
        } catch (RuntimeException e) {
            try {
                cleanUp(record, true);
            } catch (RuntimeException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
        return new LocalContainer(this, id, record.name());
    }

    @Override
    public List<ContainerInfo> list(boolean all) {
        List<ContainerInfo> out = new ArrayList<>();
        for (ContainerRecord r : store.list()) {
            ContainerRecord current;
            try {
                current = refresh(r);
            } catch (ContainerNotFoundException removedMeanwhile) {
                continue;
            }
            if (all || current.status() == ContainerStatus.RUNNING) {
                out.add(info(current));
            }
        }
        out.sort((a, b) -> b.created().compareTo(a.created()));
        return out;
    }

    @Override
    public Container get(String nameOrId) {
        String id = store.resolve(nameOrId);
        return new LocalContainer(this, id, load(id).name());
    }

    @Override
    public List<String> prune() {
        List<String> removed = new ArrayList<>();
        for (ContainerRecord r : store.list()) {
            ContainerRecord current = refresh(r);
            if (current.status() != ContainerStatus.RUNNING) {
                remove(current.id(), false);
                removed.add(current.id());
            }
        }
        return removed;
    }

    // ---- lifecycle, used by LocalContainer ------------------------------------------------------------

    void start(String id) {
        start(id, null, null);
    }

    /** {@code docker start -a}: see {@link dev.jcontainers.api.Container#startAttached()}. */
    AttachedProcess startAttached(String id, LaunchPlan.TerminalSize size) {
        AttachPipes pipes = new AttachPipes();
        try {
            start(id, pipes, size);
            pipes.closeChildEnds();
        } catch (RuntimeException e) {
            pipes.close();
            throw e;
        }
        Running run = running.get(id);
        boolean tty = run != null && run.tty();
        return new LocalAttachedProcess(pipes, tty,
                (rows, cols) -> {
                    Running r = running.get(id);
                    return r != null && r.process().resizeTerminal(rows, cols);
                },
                () -> waitFor(id, null), () -> { });
    }

    /** Starts the container; with {@code attach} its streams go to those pipes as well as to the log. */
    private void start(String id, AttachPipes attach, LaunchPlan.TerminalSize size) {
        withLock(id, () -> {
            try (ContainerLock held = lock(id)) {
                begin(id, attach, size);
            }
        });
    }

    /** {@link #start} under the container's locks, so no other engine starts it or ends its last run meanwhile. */
    private void begin(String id, AttachPipes attach, LaunchPlan.TerminalSize size) throws IOException {
        ContainerRecord r = refresh(load(id));
        if (r.status() == ContainerStatus.RUNNING) {
            if (attach != null) {
                throw new ContainerStateException("container " + r.name() + " is already running; only the "
                        + "JVM that starts a container can attach to it");
            }
            return;
        }
        Path dir = store.dir(id);
        RuntimeSpec created = createdSpecs.remove(id); // spares a parse, which a cold CLI pays dearly
        RuntimeSpec rs = created != null ? created : readSpec(id);
        NetworkMode network = networkMode(rs);
        if (network instanceof NetworkMode.Container c) {
            rs = RuntimeSpecFactory.joiningNamespace(rs, "network", "/proc/" + runningPid(c.nameOrId()) + "/ns/net");
        }
        Path rootfs = Rootfs.path(dir);
        // The first start of a container this engine created: its rootfs is mounted, and there is no exit or
        // restart record and no cgroup of an earlier run to clear (a failed start clears its own). Else the end
        // of the run before unmounted the rootfs.
        boolean firstRun = created != null && r.startedAt() == null;
        boolean mountsNow = !firstRun && !Rootfs.isMounted(dir);
        if (mountsNow) {
            Rootfs.mount(dir, r.layers(), r.detached());
        }
        boolean launched = false;
        try {
            if (!firstRun) {
                Files.deleteIfExists(dir.resolve(LaunchedContainer.EXIT_FILE));
                RestartRecord.clear(dir);
            }
            Cgroups cg = cgroups();
            boolean v2 = cg.version() == CgroupVersion.V2;
            if (!firstRun) {
                destroyCgroupIfPresent(id);
            }
            CgroupLimits limits = limits(rs);
            // v1: a helper prepared in the background, its zygote already in a cgroup, spares the start ~10 ms
            // (the zygote counts as a task while it clones: not with a pids limit of 1)
            boolean preparable = !v2 && launchPreparation != LaunchPreparation.NONE && !r.detached() && attach == null
                    && limits.pidsLimit().orElse(CgroupLimits.UNLIMITED) != 1;
            Optional<PreparedLaunches.Entry> prepared = preparable ? preparedLaunches().take() : Optional.empty();
            CgroupManager cgroup;
            try {
                cgroup = prepared.isEmpty() ? cg.create(CGROUP_PARENT, id, limits)
                        : cg.rename(prepared.get().cgroup(), CGROUP_PARENT, id);
                if (prepared.isPresent()) {
                    cgroup.update(limits);
                }
            } catch (RuntimeException e) {
                prepared.ifPresent(p -> discardQuietly(p, e));
                throw e;
            }
            LaunchedContainer process;
            boolean tty;
            try {
                LaunchPlan plan = LaunchPlanFactory.create(rs, rootfs, dir, r.detached(),
                        v2 ? Optional.of(cgroup.path("pids")) : Optional.empty(), restartPlan(r.restart(), cgroup, v2));
                if (attach != null) {
                    plan = plan.attached(LaunchPlanFactory.attachedStdio(rs), size);
                }
                // a network-less container's child brings its lo up itself: one ioctl, not a netlink session
                // from the JVM in the sync
                boolean loopbackInChild = network instanceof NetworkMode.None && plan.hasPrivate(Namespace.NET);
                if (loopbackInChild) {
                    plan = plan.withLoopbackUp();
                }
                MountTargets.createForUserNamespace(plan, rootfs);
                boolean zygoteInCgroup = prepared.isPresent() && Launcher.preparable(plan);
                if (prepared.isPresent() && !zygoteInCgroup) {
                    prepared.get().launch().close(); // its zygote dies and leaves the (now the container's) cgroup
                }
                // On v1 the first cgroup.procs write of a new process waits ~10 ms for an RCU grace period in
                // the kernel (runc's waits too). Bridge wiring stays after it: alongside, the two-container
                // bridge test lost a message now and then (cause not found; see benchmarks/RESULTS.md 4b).
                // born in its cgroup, lo up by itself: no sync at all (the launcher sends the go with the plan)
                SyncHook hook = (v2 || zygoteInCgroup) && loopbackInChild ? SyncHook.NONE : pid -> {
                    if (!v2 && !zygoteInCgroup) { // else the process was born in its cgroup
                        cgroup.addProcess(pid);
                    }
                    if (!loopbackInChild) {
                        networks.connect(id, network, pid);
                    }
                };
                process = zygoteInCgroup ? launcher().launch(prepared.get().launch(), plan, hook)
                        : attach == null ? launcher().launch(plan, hook)
                        : launcher().launch(plan, hook, attach.childStdin(), attach.childStdout(), attach.childStderr());
                tty = plan.terminal().isPresent();
            } catch (RuntimeException e) {
                try {
                    if (preparable) {
                        preparedLaunches().replenish(CompletableFuture.completedFuture(null));
                    }
                    prepared.ifPresent(p -> p.launch().close()); // a no-op once the launch took it
                    networks.disconnect(id);
                    cgroup.killAll();
                    cgroup.destroy();
                } catch (RuntimeException cleanup) {
                    e.addSuppressed(cleanup);
                }
                throw e;
            }
            launched = true;
            Instant startedAt = Instant.now();
            ContainerRecord started = r.started(process.pid(), process.monitorPid(), startedAt.toString());
            store.save(started);
            Running run = new Running(process, cgroup, started.startedAt(), new CompletableFuture<>(), tty);
            running.put(id, run);
            if (preparable) { // after the launch: a helper spawned meanwhile would compete with ours for CPU
                preparedLaunches().replenish(run.exit());
            }
            health.begin(id, startedAt);
            background.execute(() -> watch(id, run));
        } catch (IOException | RuntimeException e) {
            if (mountsNow && !launched) { // the container stays exited: unmounted
                try {
                    Rootfs.unmount(dir);
                } catch (RuntimeException cleanup) {
                    e.addSuppressed(cleanup);
                }
            }
            throw e;
        }
    }

    int waitFor(String id, Duration timeout) {
        Running run = running.get(id);
        if (run != null) {
            try {
                return timeout == null ? run.exit().get() : run.exit().get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                throw new WaitTimeoutException("container " + id.substring(0, 12), timeout);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ContainerException("interrupted while waiting for " + id.substring(0, 12), e);
            } catch (ExecutionException e) {
                throw new ContainerException("waiting for " + id.substring(0, 12) + " failed: " + e.getCause(), e.getCause());
            }
        }
        ContainerRecord r = refresh(load(id));
        if (r.status() == ContainerStatus.CREATED) {
            throw new ContainerStateException("container " + r.name() + " was never started");
        }
        if (r.status() != ContainerStatus.RUNNING) {
            return r.exitCode() == null ? -1 : r.exitCode();
        }
        // the monitor may replace the process of a restarting container: it exits only after the last one
        long waitOn = r.restart().restarts() ? r.monitorPid() : r.pid();
        try (LaunchedContainer attached = LaunchedContainer.attach(waitOn, store.dir(id))) {
            Optional<ExitStatus> exit = timeout == null ? Optional.of(attached.waitFor()) : attached.waitFor(timeout);
            if (exit.isEmpty()) {
                throw new WaitTimeoutException("container " + id.substring(0, 12), timeout);
            }
        }
        ContainerRecord done = refresh(load(id));
        return done.exitCode() == null ? -1 : done.exitCode();
    }

    void stop(String id, Duration timeout) {
        ContainerRecord r = refresh(load(id));
        if (r.status() != ContainerStatus.RUNNING) {
            return;
        }
        Duration grace = timeout != null ? timeout : Duration.ofSeconds(r.stopTimeoutSeconds());
        signal(r, Signals.parse(r.stopSignal()));
        try {
            waitFor(id, grace);
        } catch (WaitTimeoutException e) {
            signal(refresh(load(id)), Signals.SIGKILL); // a restarting container's pid may have changed since
            waitFor(id, Duration.ofSeconds(30));
        }
    }

    void kill(String id, String signal) {
        ContainerRecord r = refresh(load(id));
        if (r.status() != ContainerStatus.RUNNING) {
            throw new ContainerStateException("Container " + id.substring(0, 12) + " is not running");
        }
        signal(r, Signals.parse(signal));
    }

    void remove(String id, boolean force) {
        remove(id, force, false);
    }

    /** With {@code removeVolumes} the anonymous volumes made for the container go too ({@code docker rm -v}). */
    void remove(String id, boolean force, boolean removeVolumes) {
        withLock(id, () -> {
            Optional<ContainerRecord> maybe = store.load(id);
            if (maybe.isEmpty()) {
                return;
            }
            ContainerRecord r = refresh(maybe.get());
            if (r.status() == ContainerStatus.RUNNING) {
                if (!force) {
                    throw new ContainerStateException("You cannot remove a running container " + id
                            + ". Stop the container before attempting removal or force remove");
                }
                signal(r, Signals.SIGKILL);
                waitFor(id, Duration.ofSeconds(30));
                r = load(id);
            }
            cleanUp(r, removeVolumes);
            return;
        });
    }

    /** {@code docker pause}: the cgroup freezer stops every process; the status reads paused until unpaused. */
    void pause(String id) {
        withLock(id, () -> {
            CgroupManager cgroup = runningCgroup(id);
            if (cgroup.frozen()) {
                throw new ContainerStateException("Container " + id + " is already paused");
            }
            cgroup.freeze();
            return;
        });
    }

    void unpause(String id) {
        withLock(id, () -> {
            CgroupManager cgroup = runningCgroup(id);
            if (!cgroup.frozen()) {
                throw new ContainerStateException("Container " + id + " is not paused");
            }
            cgroup.thaw();
            return;
        });
    }

    /** {@code docker top}: the processes in the container's cgroup, read from the host's /proc. */
    List<ProcessInfo> top(String id) {
        return ProcessTable.host().read(runningCgroup(id).processes());
    }

    private CgroupManager runningCgroup(String id) {
        ContainerRecord r = refresh(load(id));
        Optional<CgroupManager> cgroup = r.status() == ContainerStatus.RUNNING ? openCgroup(id) : Optional.empty();
        return cgroup.orElseThrow(() -> new ContainerStateException("Container " + id + " is not running"));
    }

    /** {@code docker exec}: see {@link ContainerExec}. */
    ExecResult exec(String id, ExecOptions options, List<String> command) {
        ExecTarget t = execTarget(id, options, command, false);
        try (LaunchedContainer target = LaunchedContainer.attach(t.pid(), t.dir())) {
            return ContainerExec.run(launcher(), t.plan(), t.hook(), target, options, id);
        }
    }

    /** {@code docker exec -i [-t]}: as {@link #exec}, with the process's streams attached to the caller. */
    AttachedProcess execAttached(String id, ExecOptions options, List<String> command) {
        ExecTarget t = execTarget(id, options, command, true);
        try (LaunchedContainer target = LaunchedContainer.attach(t.pid(), t.dir())) {
            return ContainerExec.attach(launcher(), t.plan(), t.hook(), target, id);
        }
    }

    private record ExecTarget(long pid, Path dir, LaunchPlan plan, SyncHook hook) { }

    /** The plan of an exec into the running container {@code id}; refused while it is stopped, restarting or paused. */
    private ExecTarget execTarget(String id, ExecOptions options, List<String> command, boolean attached) {
        ContainerRecord r = refresh(load(id));
        if (r.status() != ContainerStatus.RUNNING) {
            throw new ContainerStateException("Container " + id + " is not running");
        }
        if (r.pid() == 0) {
            throw new ContainerStateException("Container " + id + " is restarting, wait until the container is running");
        }
        Optional<CgroupManager> cgroup = openCgroup(id);
        if (cgroup.map(CgroupManager::frozen).orElse(false)) {
            throw new ContainerStateException("Container " + id + " is paused, unpause the container before exec");
        }
        RuntimeSpec rs = readSpec(id);
        boolean v2 = cgroups().version() == CgroupVersion.V2;
        LaunchPlan plan = ContainerExec.plan(rs, r.pid(), options, command,
                v2 ? cgroup.map(c -> c.path("pids")) : Optional.empty(), attached);
        SyncHook hook = v2 || cgroup.isEmpty() ? SyncHook.NONE : cgroup.get()::addProcess;
        return new ExecTarget(r.pid(), store.dir(id), plan, hook);
    }

    // ---- docker cp ----------------------------------------------------------------------------------

    private interface FilesAction {
        void run(ContainerFiles files) throws IOException;
    }

    /**
     * Runs {@code action} on the container's files (see {@link ContainerFiles}): a running container's root
     * as its processes see it, else its overlay rootfs, mounted for the copy if it is not (and held under the
     * container's locks, so it is not started or removed meanwhile).
     */
    private void withFiles(String id, FilesAction action) {
        ContainerRecord r = refresh(load(id));
        Path dir = store.dir(id);
        if (r.status() == ContainerStatus.RUNNING) {
            try (ContainerFiles files = new ContainerFiles(RootedTree.open(Path.of("/proc", Long.toString(r.pid()),
                    "root")), id, readSpec(id), true)) {
                if (refresh(load(id)).status() != ContainerStatus.RUNNING) { // the pid may be someone else's now
                    throw new ContainerStateException("container " + r.name() + " stopped during the copy");
                }
                action.run(files);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            return;
        }
        withLock(id, () -> {
            try (ContainerLock held = lock(id)) {
                ContainerRecord now = refresh(load(id));
                if (now.status() == ContainerStatus.RUNNING) {
                    throw new ContainerStateException("container " + now.name() + " was started during the copy");
                }
                // a created container's rootfs is mounted; an exited one's only for the copy
                boolean mountsNow = !Rootfs.isMounted(dir);
                if (mountsNow) {
                    Rootfs.mount(dir, now.layers(), now.detached());
                }
                try (ContainerFiles files = new ContainerFiles(RootedTree.open(Rootfs.path(dir)), id, readSpec(id),
                        false)) {
                    action.run(files);
                } finally {
                    if (mountsNow) {
                        Rootfs.unmount(dir);
                    }
                }
            }
        });
    }

    /** The container's runtime spec, as create wrote it. */
    private RuntimeSpec readSpec(String id) {
        try {
            return OciJson.read(Files.readAllBytes(store.dir(id).resolve(SPEC_FILE)), RuntimeSpec.class);
        } catch (IOException e) {
            throw new StorageException("container " + id.substring(0, 12) + ": " + e.getMessage(), e);
        }
    }

    void copyTo(String id, Path hostPath, String containerPath, boolean keepOwnership) {
        withFiles(id, files -> DockerCopy.copy(new HostEndpoint(), hostPath.toString(), files, containerPath,
                files.ownership(keepOwnership)));
    }

    void copyFrom(String id, String containerPath, Path hostPath, boolean keepOwnership) {
        withFiles(id, files -> DockerCopy.copy(files, containerPath, new HostEndpoint(), hostPath.toString(),
                keepOwnership ? Ownership.mapped(x -> x, x -> x) : callerOwnership()));
    }

    void copyFrom(String id, String containerPath, java.io.OutputStream tar) {
        withFiles(id, files -> DockerCopy.archive(files, containerPath, tar));
    }

    void copyTo(String id, java.io.InputStream tar, String dir, boolean keepOwnership) {
        withFiles(id, files -> files.extract(dir, tar, files.ownership(keepOwnership)));
    }

    /** Files copied out belong to whoever runs the copy, as with Docker's CLI: our effective ids. */
    private static Ownership callerOwnership() {
        try {
            Path self = Path.of("/proc/self");
            return Ownership.fixed((Integer) Files.getAttribute(self, "unix:uid"),
                    (Integer) Files.getAttribute(self, "unix:gid"));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** {@code docker network connect}: see {@link NetworkService#connect(String, String, String, String, List, long)}. */
    void connect(String id, String network, List<String> aliases) {
        withLock(id, () -> {
            ContainerRecord r = refresh(load(id));
            requireBridgeMode(r);
            long pid = r.status() == ContainerStatus.RUNNING ? r.pid() : -1;
            networks.connect(id, r.name(), r.hostname(), network, aliases == null ? List.of() : aliases, pid);
        });
    }

    /** {@code docker network disconnect}. */
    void disconnect(String id, String network) {
        withLock(id, () -> {
            ContainerRecord r = refresh(load(id));
            long pid = r.status() == ContainerStatus.RUNNING ? r.pid() : -1;
            networks.disconnect(id, r.name(), network, pid);
        });
    }

    /** Only a container wired to networks (bridge mode) can join more; Docker refuses the others alike. */
    private void requireBridgeMode(ContainerRecord r) {
        NetworkMode mode = networkMode(readSpec(r.id()));
        if (!(mode instanceof NetworkMode.Bridge)) {
            throw new ContainerException("container " + r.name() + " uses network " + NetworkService.describe(mode)
                    + ": a container sharing the host's or another container's network namespace, or without a "
                    + "network, cannot be connected to a network");
        }
    }

    /** Keeps a stopped sandbox after this JVM: it becomes detached, so a later start runs it detached too. */
    void detach(String id) {
        withLock(id, () -> {
            ContainerRecord r = refresh(load(id));
            if (r.status() == ContainerStatus.RUNNING) {
                throw new ContainerStateException("container " + r.name() + " is running: its monitor ties a "
                        + "running sandbox to this JVM; detach it once it has exited");
            }
            if (!r.detached()) {
                Path dir = store.dir(id);
                Rootfs.endVolatile(dir);
                createdSpecs.remove(id); // its start mounts the rootfs again, durable
                AtomicFiles.makeDurable(dir.resolve(SPEC_FILE));
                store.save(r.detached(true));
            }
            return;
        });
    }

    /** {@code docker diff}: see {@link UpperDirDiff}. */
    java.util.List<dev.jcontainers.api.FileChange> diff(String id) {
        ContainerRecord r = load(id);
        return UpperDirDiff.of(store.dir(id).resolve("upper"), r.layers().stream().map(Path::of).toList());
    }

    /**
     * {@code docker commit}: the upper directory (overlay whiteouts included, which the packer turns back into
     * OCI whiteouts) becomes a new top layer on the container's image.
     */
    dev.jcontainers.api.ImageSummary commit(String id, String reference, String createdBy) {
        ContainerRecord r = load(id);
        return images.buildFrom(r.imageId()).addLayer(store.dir(id).resolve("upper"))
                .createdBy(createdBy == null ? "jc commit " + r.name() : createdBy)
                .tag(reference).build();
    }

    /** {@code docker stats}, one sample: the running container's cgroup read now. */
    ContainerStats stats(String id) {
        CgroupStats s = runningCgroup(id).stats();
        return new ContainerStats(s.memoryUsage(), s.memoryPeak(), s.memoryLimit(), s.cpuUsageNanos(), s.pidsCurrent());
    }

    ContainerStatus status(String id) {
        return shown(refresh(load(id)));
    }

    /** The status as Docker shows it: a running container whose cgroup is frozen is paused. */
    private ContainerStatus shown(ContainerRecord r) {
        if (r.status() != ContainerStatus.RUNNING) {
            return r.status();
        }
        if (r.restart().restarts() && r.pid() == 0) {
            return ContainerStatus.RESTARTING;
        }
        return openCgroup(r.id()).map(CgroupManager::frozen).orElse(false) ? ContainerStatus.PAUSED : r.status();
    }

    ContainerInfo inspect(String id) {
        return info(refresh(load(id)));
    }

    /** Polls the health status (live in memory, or as another engine saved it) until healthy. */
    void waitForHealthy(String id, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            ContainerInfo info = inspect(id);
            if (info.status() != ContainerStatus.RUNNING) {
                throw new ContainerStateException("container " + info.name() + " is not running ("
                        + info.status().name().toLowerCase(java.util.Locale.ROOT) + "): it cannot become healthy");
            }
            HealthStatus h = info.health();
            if (h == null) {
                throw new ContainerStateException("container " + info.name() + " has no health check");
            }
            switch (h.status()) {
                case HEALTHY -> {
                    return;
                }
                case UNHEALTHY -> throw new ContainerStateException("container " + info.name() + " is unhealthy"
                        + (h.log().isEmpty() ? "" : ", last probe output: " + h.log().getLast().output().strip()));
                case STARTING -> {
                }
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new WaitTimeoutException("health check of container " + info.name(), timeout);
            }
            try {
                Thread.sleep(Duration.ofNanos(Math.min(left, HEALTH_POLL.toNanos())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ContainerException("interrupted while waiting for " + info.name() + " to be healthy", e);
            }
        }
    }

    JsonFileLogs logs(String id) {
        // A follower outlives an auto-removed container: once the record is gone it is no longer running.
        Running run = running.get(id);
        return new JsonFileLogs(store.dir(id).resolve("container.log"),
                () -> store.load(id).map(r -> refresh(r).status() == ContainerStatus.RUNNING).orElse(false),
                run == null ? null : run.exit());
    }

    Path root() {
        return root;
    }

    /** Waits until the directories of the containers removed so far are deleted (removal returns before). */
    public void awaitRemovals() {
        store.close();
    }

    /** Waits until no launch helper is being prepared in the background (tests count processes and fds). */
    void awaitPreparedLaunches() throws InterruptedException {
        PreparedLaunches prepared;
        synchronized (this) {
            prepared = preparedLaunches;
        }
        if (prepared != null) {
            prepared.awaitIdle();
        }
    }

    // ---- internals -------------------------------------------------------------------------------

    private void watch(String id, Running run) {
        ExitStatus status;
        try {
            status = run.process().waitFor();
        } catch (RuntimeException e) {
            run.exit().completeExceptionally(e);
            return;
        }
        int code = status.exitCode();
        health.stop(id);
        try {
            Optional<ContainerRecord> ended = endRun(id, run.startedAt(), Optional.of(run.cgroup()), Optional.of(status));
            running.remove(id);
            run.process().close();
            if (ended.isPresent() && ended.get().autoRemove() && ended.get().status() != ContainerStatus.RUNNING) {
                cleanUp(ended.get(), true);
            }
        } catch (RuntimeException e) {
            running.remove(id);
        } finally {
            run.exit().complete(code);
        }
    }

    /**
     * The record brought up to date: a container another JVM ran may have exited since, as its monitor
     * records in the exit file; then its run is ended here ({@link #endRun}).
     */
    private ContainerRecord refresh(ContainerRecord stored) {
        if (stored.status() != ContainerStatus.RUNNING) {
            return stored;
        }
        Path dir = store.dir(stored.id());
        ContainerRecord r = !stored.restart().restarts() ? stored // else the monitor's pid now, 0 while restarting
                : stored.withPid(RestartRecord.read(dir).map(RestartRecord::pid).orElse(stored.pid()));
        if (running.containsKey(r.id())) {
            return r;
        }
        Optional<ExitStatus> exit = LaunchedContainer.readExitFile(dir);
        long lives = r.restart().restarts() ? r.monitorPid() : r.pid();
        boolean alive = Files.exists(Path.of("/proc", Long.toString(lives)));
        if (exit.isEmpty() && alive) {
            return r;
        }
        Optional<ContainerRecord> ended = endRun(r.id(), r.startedAt(), openCgroup(r.id()), exit);
        if (ended.isEmpty()) {
            throw new ContainerNotFoundException(r.id());
        }
        ContainerRecord done = ended.get();
        if (done.autoRemove() && done.status() != ContainerStatus.RUNNING) {
            cleanUp(done, true);
        }
        return done;
    }

    /**
     * Ends the container's run that started at {@code startedAt}, once, whichever engine sees the exit first:
     * collects the cgroup, unwires the network, unmounts the rootfs (as Docker does at stop; a new run mounts it
     * again) and records the exit, {@code -1} (dead) if the monitor recorded none. Returns the record as it is
     * then: exited, or another engine's new run if that engine ended this one and started the container again
     * meanwhile; empty once the container has been removed.
     */
    private Optional<ContainerRecord> endRun(String id, String startedAt, Optional<CgroupManager> cgroup,
                                             Optional<ExitStatus> exit) {
        Optional<ContainerLock> lock = ContainerLock.acquire(store.dir(id));
        if (lock.isEmpty()) {
            return Optional.empty();
        }
        try (ContainerLock held = lock.get()) {
            Optional<ContainerRecord> now = store.load(id);
            if (now.isEmpty() || now.get().status() != ContainerStatus.RUNNING
                    || !Objects.equals(now.get().startedAt(), startedAt)) {
                return now;
            }
            boolean oom = cgroup.map(CgroupManager::oomKilled).orElse(false);
            cgroup.ifPresent(this::finishCgroup);
            networks.disconnect(id);
            Rootfs.unmount(store.dir(id));
            ContainerRecord done = exit.map(e -> now.get().exited(e.exitCode(), oom, e.finishedAt().toString()))
                    .orElseGet(() -> now.get().exited(-1, oom, Instant.now().toString()));
            store.save(done);
            return Optional.of(done);
        }
    }

    /**
     * Sends {@code signal} to the process of the container {@code r}, as {@link #refresh} just read it. A paused
     * container is thawed after its stop signal or SIGKILL, as Docker does, so the signal takes effect: frozen
     * processes act on no signal (v1 freezer).
     */
    private void signal(ContainerRecord r, int signal) {
        String id = r.id();
        Running run = running.get(id);
        boolean ends = signal == Signals.SIGKILL || signal == Signals.parse(r.stopSignal());
        if (ends && r.restart().restarts()) { // Docker: a stop or kill by the user is not undone by the policy
            RestartRecord.requestStop(store.dir(id));
        }
        if (run != null) {
            run.process().signal(signal);
        } else if (r.pid() > 0) {
            try (LaunchedContainer attached = LaunchedContainer.attach(r.pid(), store.dir(id))) {
                if (attached.exitStatus().isEmpty()) {
                    attached.signal(signal);
                }
            }
        }
        if (ends) {
            openCgroup(id).filter(CgroupManager::frozen).ifPresent(CgroupManager::thaw);
        }
    }

    private ContainerRecord claim(ContainerSpec spec, String id, RunnableImage image, String hostname,
                                  String stopSignal, Duration stopTimeout, List<String> layers, List<String> args) {
        for (int attempt = 0; ; attempt++) {
            String name = spec.name() != null ? spec.name() : NameGenerator.newName();
            ContainerRecord record = new ContainerRecord(id, name, spec.image(), image.id(), Instant.now().toString(),
                    args, hostname, spec.labels(), spec.detached(), spec.autoRemove(), stopSignal,
                    stopTimeout.toSeconds(), ContainerStatus.CREATED, 0, 0, null, null, null, false, layers,
                    ownerPid, ownerStarted, spec.restartPolicy().restarts() ? spec.restartPolicy().toString() : null);
            try {
                store.create(record);
                return record;
            } catch (ContainerException e) {
                if (spec.name() != null || attempt >= 10 || !e.getMessage().startsWith("Conflict.")) {
                    throw e;
                }
            }
        }
    }

    /**
     * Lets the container's root, an unprivileged uid outside, reach what its user namespace must open itself:
     * the rootfs mount point and the /etc files below {@code dir}, and the overlay's root directory to write
     * in (the launch helper makes /proc, /dev ... there). As Docker's userns-remap without idmapped mounts:
     * the directories on the way are made traversable (o+x, no read), the upper and work directories belong
     * to the mapped root. The image layers keep host ids, so their files show as nobody:nogroup inside and
     * only the container's own files and the root directory are the container root's to write.
     */
    private void prepareForUserNamespace(Path dir) {
        int owner = Math.toIntExact(RuntimeSpecFactory.USERNS_HOST_BASE);
        try {
            for (Path p : List.of(root, root.resolve("containers"), dir)) {
                Set<PosixFilePermission> mode = EnumSet.copyOf(Files.getPosixFilePermissions(p));
                if (mode.add(PosixFilePermission.OTHERS_EXECUTE)) {
                    Files.setPosixFilePermissions(p, mode);
                }
            }
            for (String d : List.of("upper", "work")) {
                Path p = Files.createDirectories(dir.resolve(d));
                Files.setAttribute(p, "unix:uid", owner, LinkOption.NOFOLLOW_LINKS);
                Files.setAttribute(p, "unix:gid", owner, LinkOption.NOFOLLOW_LINKS);
            }
        } catch (IOException e) {
            throw new StorageException("cannot prepare " + dir + " for a user namespace: " + e.getMessage(), e);
        }
    }

    /** /etc/hostname, /etc/hosts and /etc/resolv.conf, bind-mounted into the container as Docker does. */
    private static void writeEtcFiles(Path dir, String hostname, NetworkMode network) {
        try {
            Files.writeString(dir.resolve("hostname"), hostname + "\n");
            String hosts = HostsFile.LOOPBACK;
            if (network instanceof NetworkMode.Host) {
                hosts = Files.exists(Path.of("/etc/hosts")) ? Files.readString(Path.of("/etc/hosts")) : hosts;
            }
            Files.writeString(dir.resolve("hosts"), hosts);
            Files.writeString(dir.resolve("resolv.conf"), ResolvConf.render(network, ResolvConf.hostLines()),
                    StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new StorageException("cannot write /etc files for " + dir + ": " + e.getMessage(), e);
        }
    }

    private static void checkSupported(ContainerSpec spec) {
        if (spec.restartPolicy().restarts() && spec.userNamespace()) {
            throw new ContainerException("restart policies are not supported with a user namespace yet: the"
                    + " monitor cannot write a new namespace's id maps");
        }
        for (MountSpec m : spec.mounts()) {
            if (m instanceof MountSpec.Bind b && !Files.exists(Path.of(b.source()))) {
                throw new ContainerException("invalid mount config for type \"bind\": bind source path does not exist: "
                        + b.source());
            }
            if (m instanceof MountSpec.Bind b) {
                checkPropagation(b);
            }
        }
    }

    /**
     * As Docker: mounts propagate from the host into a shared or slave bind only when its source is on a mount
     * that takes part in propagation, a shared one (a slave bind also from a slave mount).
     */
    private static void checkPropagation(MountSpec.Bind b) {
        boolean shared = b.propagation() == BindPropagation.SHARED || b.propagation() == BindPropagation.RSHARED;
        boolean slave = b.propagation() == BindPropagation.SLAVE || b.propagation() == BindPropagation.RSLAVE;
        if (!shared && !slave) {
            return;
        }
        MountInfo on = Mounts.containing(Path.of(b.source()));
        if (!on.isShared() && !(slave && on.isSlave())) {
            throw new ContainerException("path " + b.source() + " is mounted on " + on.mountPoint() + " but it is not a "
                    + (shared ? "shared" : "shared or slave") + " mount");
        }
    }

    /** The container's {@code --network}, from its runtime spec (older specs: a network namespace means none). */
    private static NetworkMode networkMode(RuntimeSpec rs) {
        String text = rs.annotations().get(NetworkService.ANNOTATION);
        if (text != null) {
            return NetworkMode.parse(text);
        }
        return rs.linux().namespaces().stream().anyMatch(n -> n.type().equals("network"))
                ? NetworkMode.none() : NetworkMode.host();
    }

    /** The host PID of a running container, whose namespaces another container joins. */
    private long runningPid(String nameOrId) {
        ContainerRecord target = refresh(load(store.resolve(nameOrId)));
        if (target.status() != ContainerStatus.RUNNING) {
            throw new ContainerStateException("cannot join network of a non running container: " + target.name());
        }
        return target.pid();
    }

    private static CgroupLimits limits(RuntimeSpec rs) {
        CgroupLimits.Builder b = CgroupLimits.builder();
        RuntimeSpec.Resources res = rs.linux().resources();
        if (res == null) {
            return b.build();
        }
        if (res.memory() != null) {
            if (res.memory().limit() != null) {
                b.memory(res.memory().limit());
            }
            if (res.memory().reservation() != null) {
                b.memoryReservation(res.memory().reservation());
            }
            if (res.memory().swap() != null) {
                b.memorySwap(res.memory().swap());
            }
        }
        if (res.cpu() != null) {
            if (res.cpu().quota() != null && res.cpu().period() != null) {
                b.cpus((double) res.cpu().quota() / res.cpu().period());
            }
            if (res.cpu().shares() != null) {
                b.cpuShares(res.cpu().shares());
            }
            if (res.cpu().cpus() != null) {
                b.cpusetCpus(res.cpu().cpus());
            }
            if (res.cpu().mems() != null) {
                b.cpusetMems(res.cpu().mems());
            }
        }
        if (res.pids() != null) {
            b.pidsLimit(res.pids().limit());
        }
        RuntimeSpec.BlockIo io = res.blockIO();
        if (io != null) {
            if (io.weight() != null) {
                b.blkioWeight(io.weight());
            }
            io.throttleReadBpsDevice().forEach(t -> b.deviceReadBps(new DeviceRate(t.major(), t.minor(), t.rate())));
            io.throttleWriteBpsDevice().forEach(t -> b.deviceWriteBps(new DeviceRate(t.major(), t.minor(), t.rate())));
            io.throttleReadIopsDevice().forEach(t -> b.deviceReadIops(new DeviceRate(t.major(), t.minor(), t.rate())));
            io.throttleWriteIopsDevice().forEach(t -> b.deviceWriteIops(new DeviceRate(t.major(), t.minor(), t.rate())));
        }
        return b.build();
    }

    private Optional<CgroupManager> openCgroup(String id) {
        try {
            return Optional.of(cgroups().open(CGROUP_PARENT, id));
        } catch (CgroupException e) {
            return Optional.empty();
        }
    }

    private void destroyCgroupIfPresent(String id) {
        openCgroup(id).ifPresent(this::finishCgroup);
    }

    /**
     * Kills what is left in the cgroup and removes it. Another engine (or this one's exit watcher) may be doing
     * the same at the same moment; the cgroup managers treat a cgroup that vanishes under them as done.
     */
    private void finishCgroup(CgroupManager cgroup) {
        if (cgroup.exists()) {
            try {
                cgroup.destroy(Duration.ZERO); // the common case, an exited container's: no process left to look for
                return;
            } catch (CgroupException busy) {
                // processes are left in it (or another engine is removing it at the same moment)
            }
            cgroup.killAll();
            cgroup.destroy();
        }
    }

    /**
     * Everything a container owns on the host: processes, cgroup, network address, rootfs mount, directory,
     * name; and, if asked ({@code --rm}, {@code rm -v}, sandboxes), the anonymous volumes made for it.
     */
    private void cleanUp(ContainerRecord r, boolean removeAnonymousVolumes) {
        VolumeUse use = VolumeUse.read(store.dir(r.id()));
        createdSpecs.remove(r.id());
        health.stop(r.id());
        Running run = running.remove(r.id());
        if (run != null) {
            run.process().close();
        }
        Path dir = store.dir(r.id());
        Optional<ContainerLock> lock = ContainerLock.acquire(dir); // empty: removed meanwhile, by another engine
        try {
            destroyCgroupIfPresent(r.id());
            networks.leave(r.id());
            Rootfs.unmount(dir); // the end of its last run did, unless that never happened (created, crashed)
            store.delete(r);
        } finally {
            lock.ifPresent(ContainerLock::close);
        }
        ContainerLock.forget(dir);
        locks.remove(r.id());
        if (removeAnonymousVolumes) {
            volumes.removeAnonymous(use);
        }
    }

    /** The container's lock (see {@link ContainerLock}); not found if it has been removed. */
    private ContainerLock lock(String id) {
        return ContainerLock.acquire(store.dir(id)).orElseThrow(() -> new ContainerNotFoundException(id));
    }

    private ContainerRecord load(String id) {
        return store.load(id).orElseThrow(() -> new ContainerNotFoundException(id));
    }

    /** Resumes the health checks of a running container another engine started (see {@link HealthMonitor}). */
    private void adoptHealthCheck(ContainerRecord r) {
        if (r.status() == ContainerStatus.RUNNING && !running.containsKey(r.id()) && r.startedAt() != null) {
            health.adopt(r.id(), Instant.parse(r.startedAt()));
        }
    }

    private boolean isRunning(String id, Instant startedAt) {
        return store.load(id).map(this::refresh).filter(r -> r.status() == ContainerStatus.RUNNING
                && startedAt.toString().equals(r.startedAt())).isPresent();
    }

    private ContainerInfo info(ContainerRecord r) {
        adoptHealthCheck(r);
        return new ContainerInfo(r.id(), r.name(), r.image(), r.imageId(), r.args(), Instant.parse(r.created()),
                shown(r), r.pid(), r.exitCode(), r.oomKilled(), r.startedAt() == null ? null : Instant.parse(r.startedAt()),
                r.finishedAt() == null ? null : Instant.parse(r.finishedAt()), r.hostname(), r.labels(), r.detached(),
                health.status(r.id()), r.restart(),
                RestartRecord.read(store.dir(r.id())).map(RestartRecord::restartCount).orElse(0),
                networks.publishedPorts(r.id()));
    }

    /**
     * The policy as the monitor carries it out: {@code unless-stopped} is {@code always} without a daemon. On
     * cgroup v1 the monitor writes a restarted process into each hierarchy itself; on v2 CLONE_INTO_CGROUP does.
     */
    private static Optional<LaunchPlan.Restart> restartPlan(RestartPolicy policy, CgroupManager cgroup, boolean v2) {
        if (!policy.restarts()) {
            return Optional.empty();
        }
        LaunchPlan.Restart.Policy mode = policy.mode() == RestartPolicy.Mode.ON_FAILURE
                ? LaunchPlan.Restart.Policy.ON_FAILURE : LaunchPlan.Restart.Policy.ALWAYS;
        return Optional.of(new LaunchPlan.Restart(mode, policy.maximumRetryCount(),
                v2 ? List.of() : cgroup.directories()));
    }

    private static void discardQuietly(PreparedLaunches.Entry entry, RuntimeException failure) {
        try {
            entry.discard();
        } catch (RuntimeException cleanup) {
            failure.addSuppressed(cleanup);
        }
    }

    private synchronized PreparedLaunches preparedLaunches() {
        if (preparedLaunches == null) {
            preparedLaunches = madeAhead().flatMap(LaunchAhead.Made::launches)
                    .orElseGet(() -> launchPreparation == LaunchPreparation.ONCE
                            ? PreparedLaunches.once(cgroups(), CGROUP_PARENT, this::launcher)
                            : PreparedLaunches.keepingReady(cgroups(), CGROUP_PARENT, this::launcher, background));
        }
        return preparedLaunches;
    }

    private synchronized Launcher launcher() {
        if (launcher == null) {
            launcher = madeAhead().map(LaunchAhead.Made::launcher)
                    .orElseGet(() -> Launcher.extractedTo(root.resolve("bin")));
        }
        return launcher;
    }

    private synchronized Cgroups cgroups() {
        if (cgroups == null) {
            cgroups = madeAhead().map(LaunchAhead.Made::cgroups).orElseGet(Cgroups::detect);
        }
        return cgroups;
    }

    /** What the preparation begun at the engine's opening made (ONCE), once it has; empty otherwise. */
    private Optional<LaunchAhead.Made> madeAhead() {
        return ahead == null ? Optional.empty() : ahead.made();
    }

    private interface LockedAction {
        void run() throws IOException;
    }

    private void withLock(String id, LockedAction action) {
        ReentrantLock lock = locks.computeIfAbsent(id, k -> new ReentrantLock());
        lock.lock();
        try {
            action.run();
        } catch (IOException e) {
            throw new StorageException("container " + id.substring(0, 12) + ": " + e.getMessage(), e);
        } finally {
            lock.unlock();
        }
    }

    /**
     * One pass over the records, which each engine start pays for: sandboxes whose JVM died are removed; of the
     * containers other JVMs started, health checks resume here, those that exited while no engine watched them
     * are collected (their cgroups, and unwiring deletes their port mappings from the host), and this engine
     * answers the DNS queries of those still running.
     */
    private void collectAndAdopt() {
        store.collectTrash();
        store.collectTorn();
        for (ContainerRecord r : store.list()) {
            if (!r.detached() && !ownerAlive(r)) {
                try {
                    cleanUp(refresh(r), true);
                } catch (RuntimeException ignored) {
                    // another engine may be collecting it at the same moment
                }
                continue;
            }
            adoptHealthCheck(r);
            try {
                ContainerRecord current = refresh(r);
                if (current.status() == ContainerStatus.RUNNING) {
                    networks.reattach(current.id(), current.pid());
                }
            } catch (RuntimeException ignored) {
                // exited or removed meanwhile, or another engine collecting it at the same moment
            }
        }
    }

    private static boolean ownerAlive(ContainerRecord r) {
        return ProcessHandle.of(r.ownerPid())
                .filter(p -> p.info().startInstant().map(Instant::toString).orElse("").equals(r.ownerStarted()))
                .isPresent();
    }

    /**
     * Our parent cgroup goes when the last container's cgroup has gone, so an engine leaves nothing in the
     * host's cgroup tree; the next start creates it again. Best effort: another engine may be using it.
     */
    private void removeEmptyCgroupParent() {
        Cgroups cg;
        synchronized (this) {
            cg = cgroups;
        }
        if (cg == null) {
            return;
        }
        try {
            cg.removeParent(CGROUP_PARENT);
        } catch (RuntimeException ignored) {
            // still in use by another engine, or removed by it meanwhile
        }
    }

    private void removeOwnSandboxes() {
        PreparedLaunches prepared;
        synchronized (this) {
            prepared = preparedLaunches;
        }
        if (prepared != null) {
            prepared.close();
        }
        if (ahead != null) {
            ahead.close(); // a helper no start took
        }
        for (ContainerRecord r : store.list()) {
            if (!r.detached() && r.ownerPid() == ownerPid) {
                try {
                    remove(r.id(), true, true);
                } catch (RuntimeException ignored) {
                    // best effort at shutdown
                }
            }
        }
        store.close(); // their directories (and earlier removals') are deleted before we return
    }

    @Override
    public void close() {
        removeOwnSandboxes();
        background.shutdown(); // watchers of detached containers still running finish their work
        health.close();
        removeEmptyCgroupParent();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException ignored) {
            // the JVM is already shutting down
        }
    }
}
