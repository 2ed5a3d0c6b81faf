package dev.jcontainers.linux.launch;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

import dev.jcontainers.linux.ffm.LinuxException;
import dev.jcontainers.linux.ffm.Native;
import dev.jcontainers.linux.ffm.Pidfd;
import dev.jcontainers.linux.ffm.Signals;
import dev.jcontainers.linux.ffm.Sockets;
import dev.jcontainers.linux.ffm.Spawn;
import dev.jcontainers.linux.ffm.Unistd;
import dev.jcontainers.linux.ffm.Wait;
import dev.jcontainers.linux.launch.LaunchPlan.IdMapping;
import dev.jcontainers.linux.launch.LaunchPlan.Lifetime;
import dev.jcontainers.linux.launch.LaunchPlan.StreamMode;
import dev.jcontainers.linux.namespace.Namespace;
import dev.jcontainers.linux.namespace.NamespaceMode;

/**
 * Starts containers through the {@code jc-launch} helper. The JVM never forks: the helper is started with
 * {@code posix_spawn} with the control socket at fd 3, receives the {@link LaunchPlan}, creates the
 * container process and reports its pid; the launcher then writes uid/gid maps, runs the caller's
 * {@link SyncHook} (cgroups) and lets the container continue. Thread-safe; one instance serves any number of
 * launches.
 */
public final class Launcher {
    private static final int CTL_FD = 3;
    private static final int ETXTBSY = 26;
    private static final int O_RDWR = 2;
    private static final Path DEV_NULL = Path.of("/dev/null");

    private final Path helper;

    public Launcher(Path helper) {
        this.helper = helper.toAbsolutePath();
    }

    /** A launcher using the helper built into this jar, extracted to {@code cacheDir} (e.g. {@code <root>/bin}). */
    public static Launcher extractedTo(Path cacheDir) {
        return new Launcher(LaunchHelperBinary.extract(cacheDir));
    }

    public Path helper() {
        return helper;
    }

    /** Launches with the JVM's own stdin/stdout/stderr for streams the plan says to inherit. */
    public LaunchedContainer launch(LaunchPlan plan, SyncHook hook) {
        return launch(plan, hook, 0, 1, 2);
    }

    /**
     * Launches {@code plan}; {@code stdinFd}, {@code stdoutFd} and {@code stderrFd} are the descriptors
     * given to the container (or copied to, for {@link StreamMode#LOG_AND_INHERIT}) where the plan says
     * {@link StreamMode#INHERIT}. Returns once the container's process has called {@code execve}.
     *
     * @throws LaunchException when any step up to {@code execve} fails; nothing is left running then
     */
    public LaunchedContainer launch(LaunchPlan plan, SyncHook hook, int stdinFd, int stdoutFd, int stderrFd) {
        byte[] encoded = PlanCodec.encode(plan);
        Helper helper = spawnHelper(inherits(plan.stdio().stdin()) ? stdinFd : -1,
                inherits(plan.stdio().stdout()) ? stdoutFd : -1, inherits(plan.stdio().stderr()) ? stderrFd : -1, false);
        return launch(helper.pid(), helper.channel(), encoded, plan, hook);
    }

    /**
     * Spawns a helper ahead of its plan, with a placeholder process (its zygote) that the caller puts into the
     * container's cgroup now, off the start path (on cgroup v1 a process's first {@code cgroup.procs} write
     * waits ~10 ms for the kernel). {@link #launch(Prepared, LaunchPlan, SyncHook)} later has the zygote create the
     * container process, which so starts inside that cgroup; the helper itself (the monitor) never joins it.
     * Streams the plan inherits go to /dev/null.
     */
    public Prepared prepare() {
        Helper helper = spawnHelper(-1, -1, -1, true);
        try {
            ControlChannel.Message zygote = helper.channel().receive();
            if (zygote.type() != ControlChannel.MSG_ZYGOTE) {
                throw failure(zygote);
            }
            return new Prepared(helper.pid(), zygote.a(), helper.channel());
        } catch (RuntimeException e) {
            helper.channel().close();
            reap(helper.pid());
            throw e;
        }
    }

    /**
     * Launches {@code plan} through a prepared helper, which it consumes. The plan must be a
     * {@link Lifetime#SANDBOX} that joins no pid namespace and has no time namespace (the zygote was made before
     * any of that could be set up); the hook runs as for any launch but need not place the process in cgroup v1.
     */
    public LaunchedContainer launch(Prepared prepared, LaunchPlan plan, SyncHook hook) {
        byte[] encoded = PlanCodec.encode(plan);
        return launch(prepared.take(), prepared.channel, encoded, plan, hook);
    }

    /** Whether a {@link #prepare() prepared} helper can launch {@code plan}. */
    public static boolean preparable(LaunchPlan plan) {
        NamespaceMode time = plan.namespaces().getOrDefault(Namespace.TIME, NamespaceMode.HOST);
        return plan.lifetime() == Lifetime.SANDBOX && !inherits(plan.stdio().stdin()) && !inherits(plan.stdio().stdout())
                && !inherits(plan.stdio().stderr()) && !(plan.namespaces().get(Namespace.PID) instanceof NamespaceMode.Join)
                && time instanceof NamespaceMode.Host;
    }

    /** A helper waiting for its plan, and its zygote; {@link #close()} ends both unless a launch took them. */
    public static final class Prepared implements AutoCloseable {
        private final int helperPid;
        private final int zygotePid;
        private final ControlChannel channel;
        private boolean taken;

        private Prepared(int helperPid, int zygotePid, ControlChannel channel) {
            this.helperPid = helperPid;
            this.zygotePid = zygotePid;
            this.channel = channel;
        }

        /** The placeholder process to put into the container's cgroups. */
        public int zygotePid() {
            return zygotePid;
        }

        private synchronized int take() {
            if (taken) {
                throw new IllegalStateException("this prepared launch was used or closed already");
            }
            taken = true;
            return helperPid;
        }

        /** The helper sees its socket close and exits; the kernel kills the zygote with it (parent-death signal). */
        @Override
        public void close() {
            synchronized (this) {
                if (taken) {
                    return;
                }
                taken = true;
            }
            channel.close();
            reap(helperPid);
        }
    }

    private LaunchedContainer launch(int helperPid, ControlChannel channel, byte[] encoded, LaunchPlan plan, SyncHook hook) {
        boolean detached = plan.lifetime() == Lifetime.DETACHED;
        int pidfd = -1;
        boolean helperReaped = false;
        // nothing to do between the clone and the go: send the go right behind the plan, sparing a round trip
        boolean syncless = hook == SyncHook.NONE && !plan.hasPrivate(Namespace.USER);
        try {
            channel.sendPlan(encoded);
            if (syncless) {
                channel.send(ControlChannel.MSG_GO, 0);
            }
            ControlChannel.Message created = channel.receive();
            if (created.type() != ControlChannel.MSG_CHILD) {
                throw failure(created);
            }
            int pid = created.a();
            int monitorPid = created.b();
            if (detached) { // the helper forked the monitor off and exited
                reap(helperPid);
                helperReaped = true;
            }
            pidfd = openPidfd(pid);
            if (!syncless) {
                try {
                    if (plan.hasPrivate(Namespace.USER)) {
                        writeIdMaps(pid, plan);
                    }
                    hook.onChildCreated(pid);
                } catch (RuntimeException e) {
                    channel.trySend(ControlChannel.MSG_ABORT, 0);
                    throw e;
                }
                channel.send(ControlChannel.MSG_GO, 0);
            }
            ControlChannel.Message started = channel.receive();
            if (started.type() != ControlChannel.MSG_STARTED) {
                throw failure(started);
            }
            return new LaunchedContainer(pid, monitorPid, detached ? 0 : helperPid, channel, pidfd,
                    plan.stateDir(), plan.lifetime(), plan.restart().isPresent());
        } catch (RuntimeException e) {
            channel.close();
            if (pidfd >= 0) {
                closeFd(pidfd);
            }
            if (!helperReaped) { // after a refused plan, an abort or a failed child the helper exits by itself
                int status = reap(helperPid);
                if (e instanceof LaunchException le && le.errno() == 0 && le.getCause() == null) {
                    throw new LaunchException(le.getMessage() + " (" + describe(status) + ")", 0);
                }
            }
            throw e;
        }
    }

    private static boolean inherits(StreamMode mode) {
        return mode == StreamMode.INHERIT || mode == StreamMode.LOG_AND_INHERIT;
    }

    private static LaunchException failure(ControlChannel.Message m) {
        if (m.type() == ControlChannel.MSG_ERROR) {
            return new LaunchException(m.text(), m.a());
        }
        return new LaunchException("the launch helper exited unexpectedly", 0);
    }

    private static String describe(int status) {
        if (Wait.exited(status)) {
            return "exit status " + Wait.exitStatus(status);
        }
        return Wait.signaled(status) ? "killed by signal " + Wait.termSignal(status) : "status " + status;
    }

    private static void writeIdMaps(int pid, LaunchPlan plan) {
        Path proc = Path.of("/proc", Integer.toString(pid));
        try {
            if (!plan.gidMappings().isEmpty() && !isRoot()) {
                // without CAP_SETGID in the parent namespace the kernel only takes a gid map once setgroups is off
                Files.writeString(proc.resolve("setgroups"), "deny");
            }
            writeMap(proc.resolve("uid_map"), plan.uidMappings());
            writeMap(proc.resolve("gid_map"), plan.gidMappings());
        } catch (IOException e) {
            throw new LaunchException("writing the id maps of pid " + pid + ": " + e.getMessage(), e);
        }
    }

    /** The kernel takes a map in one write(2); the whole text is far below one buffer. */
    private static void writeMap(Path file, List<IdMapping> maps) throws IOException {
        if (!maps.isEmpty()) {
            Files.writeString(file, maps.stream().map(IdMapping::procLine).collect(Collectors.joining()));
        }
    }

    private static boolean isRoot() {
        return Unistd.geteuid() == 0;
    }

    /** A spawned helper and the JVM's end of its control socket. */
    private record Helper(int pid, ControlChannel channel) {
    }

    /** Spawns a helper with the given stdio (-1: /dev/null) and the other end of a new control socket as fd 3. */
    private Helper spawnHelper(int stdinFd, int stdoutFd, int stderrFd, boolean prepared) {
        int[] pair = socketpair();
        try {
            int pid = spawn(new int[] {stdinFd, stdoutFd, stderrFd, pair[1]}, prepared);
            return new Helper(pid, new ControlChannel(pair[0]));
        } catch (RuntimeException e) {
            closeFd(pair[0]);
            throw e;
        } finally {
            closeFd(pair[1]);
        }
    }

    private int spawn(int[] sources, boolean prepared) {
        // slots without a source get /dev/null, opened here so that every slot is a dup2
        int[] fds = sources.clone();
        int devNull = -1;
        for (int i = 0; i < fds.length; i++) {
            if (fds[i] < 0) {
                if (devNull < 0) {
                    devNull = Unistd.open(DEV_NULL, O_RDWR | Unistd.O_CLOEXEC);
                }
                fds[i] = devNull;
            }
        }
        try {
            for (int attempt = 0; ; attempt++) {
                try {
                    return spawnOnce(fds, prepared);
                } catch (LinuxException e) {
                    // another thread's spawn may briefly hold a write descriptor of a freshly extracted helper
                    if (e.errno() != ETXTBSY || attempt == 5) {
                        throw e;
                    }
                    Thread.onSpinWait();
                }
            }
        } finally {
            if (devNull >= 0) {
                closeFd(devNull);
            }
        }
    }

    /**
     * posix_spawn with file actions in two phases: first every source descriptor is parked above all of
     * them, then parked copies are moved to 0..3. That way no source is overwritten before it is copied,
     * whatever numbers the caller's descriptors have. The helper closes everything above 3 at once.
     */
    private int spawnOnce(int[] sources, boolean prepared) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment actions = arena.allocate(Spawn.POSIX_SPAWN_FILE_ACTIONS_T);
            MemorySegment attr = arena.allocate(Spawn.POSIX_SPAWNATTR_T);
            Spawn.check("posix_spawn_file_actions_init", "", Spawn.posix_spawn_file_actions_init(actions));
            try {
                Spawn.check("posix_spawnattr_init", "", Spawn.posix_spawnattr_init(attr));
                try {
                    int park = 4;
                    for (int fd : sources) {
                        park = Math.max(park, fd + 1);
                    }
                    for (int i = 0; i < sources.length; i++) {
                        Spawn.check("posix_spawn_file_actions_adddup2", "fd " + sources[i],
                                Spawn.posix_spawn_file_actions_adddup2(actions, sources[i], park + i));
                    }
                    for (int i = 0; i < sources.length; i++) {
                        Spawn.check("posix_spawn_file_actions_adddup2", "fd " + i,
                                Spawn.posix_spawn_file_actions_adddup2(actions, park + i, i));
                    }
                    MemorySegment mask = arena.allocate(Signals.SIGSET_T);
                    MemorySegment all = arena.allocate(Signals.SIGSET_T);
                    Signals.sigemptyset(mask);
                    Signals.sigfillset(all);
                    // a clean signal state, and a process group of its own so terminal signals meant for the
                    // JVM's group do not reach the monitor
                    short flags = Spawn.POSIX_SPAWN_SETSIGMASK | Spawn.POSIX_SPAWN_SETSIGDEF | Spawn.POSIX_SPAWN_SETPGROUP;
                    Spawn.check("posix_spawnattr_setflags", "", Spawn.posix_spawnattr_setflags(attr, flags));
                    Spawn.check("posix_spawnattr_setsigmask", "", Spawn.posix_spawnattr_setsigmask(attr, mask));
                    Spawn.check("posix_spawnattr_setsigdefault", "", Spawn.posix_spawnattr_setsigdefault(attr, all));
                    Spawn.check("posix_spawnattr_setpgroup", "", Spawn.posix_spawnattr_setpgroup(attr, 0));

                    MemorySegment path = arena.allocateFrom(helper.toString());
                    MemorySegment argv = arena.allocate(ValueLayout.ADDRESS, 3);
                    argv.setAtIndex(ValueLayout.ADDRESS, 0, path);
                    argv.setAtIndex(ValueLayout.ADDRESS, 1, prepared ? arena.allocateFrom("--prepared") : MemorySegment.NULL);
                    argv.setAtIndex(ValueLayout.ADDRESS, 2, MemorySegment.NULL);
                    MemorySegment envp = arena.allocate(ValueLayout.ADDRESS, 1);
                    envp.setAtIndex(ValueLayout.ADDRESS, 0, MemorySegment.NULL);
                    MemorySegment pid = arena.allocate(ValueLayout.JAVA_INT);
                    Spawn.check("posix_spawn", helper.toString(),
                            Spawn.posix_spawn(pid, path, actions, attr, argv, envp));
                    return pid.get(ValueLayout.JAVA_INT, 0);
                } finally {
                    int ignored = Spawn.posix_spawnattr_destroy(attr);
                }
            } finally {
                int ignored = Spawn.posix_spawn_file_actions_destroy(actions);
            }
        } catch (LinuxException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    private static int[] socketpair() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment fds = arena.allocate(ValueLayout.JAVA_INT, 2);
            MemorySegment state = Native.callState(arena);
            int rc = Sockets.socketpair(state, Sockets.AF_UNIX,
                    Sockets.SOCK_SEQPACKET | Sockets.SOCK_CLOEXEC, 0, fds);
            if (rc != 0) {
                throw new LinuxException("socketpair", "AF_UNIX", Native.errno(state));
            }
            return new int[] {fds.getAtIndex(ValueLayout.JAVA_INT, 0), fds.getAtIndex(ValueLayout.JAVA_INT, 1)};
        } catch (LinuxException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** A pidfd for {@code pid}, or -1 where the kernel has none. */
    static int openPidfd(int pid) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Native.callState(arena);
            return Pidfd.pidfd_open(state, pid, 0);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** waitpid for a child of the JVM (the helper), retrying on EINTR; returns the wait status. */
    static int reap(int pid) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment status = arena.allocate(ValueLayout.JAVA_INT);
            MemorySegment state = Native.callState(arena);
            while (true) {
                int rc = Wait.waitpid(state, pid, status, 0);
                if (rc == pid) {
                    return status.get(ValueLayout.JAVA_INT, 0);
                }
                if (rc < 0 && Native.errno(state) != dev.jcontainers.linux.ffm.Errno.EINTR) {
                    return -1;
                }
            }
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    static void closeFd(int fd) {
        try (Arena arena = Arena.ofConfined()) {
            int ignored = Unistd.close(Native.callState(arena), fd);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }
}
