package dev.jcontainers.linux.launch;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

import dev.jcontainers.api.ContainerException;
import dev.jcontainers.linux.ffm.Errno;
import dev.jcontainers.linux.ffm.LinuxException;
import dev.jcontainers.linux.ffm.Native;
import dev.jcontainers.linux.ffm.Pidfd;
import dev.jcontainers.linux.ffm.Poll;
import dev.jcontainers.linux.ffm.Signals;
import dev.jcontainers.linux.launch.LaunchPlan.Lifetime;

/**
 * A running (or finished) container process and its monitor. The launching JVM hears the exit from the
 * monitor over the control socket; a later JVM {@linkplain #attach attaches} by pid and state directory and
 * learns the exit from a pidfd plus the monitor's {@code exit.json}. Signals go through a pidfd where the
 * kernel has them, so they cannot reach a recycled pid.
 *
 * <p>{@link #close()} lets go of the container: a {@link Lifetime#SANDBOX} container is then killed by its
 * monitor, a {@link Lifetime#DETACHED} one keeps running.
 */
public final class LaunchedContainer implements AutoCloseable {
    /** The file the monitor writes when the container has exited. */
    public static final String EXIT_FILE = "exit.json";

    private static final long POLL_SLICE_MILLIS = 50;
    private static final Duration EXIT_FILE_GRACE = Duration.ofSeconds(2);

    private final long pid;
    private final long monitorPid;
    private final Optional<Path> stateDir;
    private final Lifetime lifetime;
    private final boolean restarts; // the monitor may replace the process: signal it through the monitor
    private final ReentrantLock lock = new ReentrantLock();
    private int helperToReap; // the monitor, when it is the JVM's own child (sandbox)
    private ControlChannel channel; // null once closed, or when attached
    private int pidfd;
    private volatile ExitStatus exit;
    private volatile boolean closed;

    LaunchedContainer(long pid, long monitorPid, int helperToReap, ControlChannel channel, int pidfd,
                      Optional<Path> stateDir, Lifetime lifetime, boolean restarts) {
        this.restarts = restarts;
        this.pid = pid;
        this.monitorPid = monitorPid;
        this.helperToReap = helperToReap;
        this.channel = channel;
        this.pidfd = pidfd;
        this.stateDir = stateDir;
        this.lifetime = lifetime;
    }

    /**
     * Re-attaches to a container another JVM launched (detached), from the pid and state directory it
     * recorded. Already exited containers come back with their {@link #exitStatus()} set.
     */
    public static LaunchedContainer attach(long pid, Path stateDir) {
        // open the pidfd first, then look for the exit file: if there is none yet, the pidfd is the container
        int fd = Launcher.openPidfd((int) pid);
        LaunchedContainer c = new LaunchedContainer(pid, -1, 0, null, fd, Optional.of(stateDir), Lifetime.DETACHED,
                false);
        Optional<ExitStatus> recorded = readExitFile(stateDir);
        if (recorded.isPresent() || (fd < 0 && !Files.exists(Path.of("/proc", Long.toString(pid))))) {
            c.exit = recorded.orElseGet(() -> new ExitStatus(-1, 0, Instant.now()));
            c.closePidfd();
        }
        return c;
    }

    /** The exit the monitor recorded in {@code stateDir}, if the container has exited. */
    public static Optional<ExitStatus> readExitFile(Path stateDir) {
        try {
            String record = Files.readString(stateDir.resolve(EXIT_FILE));
            if (record.isEmpty()) { // the record is not fsynced: a host crash can leave it empty
                return Optional.empty();
            }
            MonitorRecord r = MonitorRecord.parse(record);
            return Optional.of(new ExitStatus(Math.toIntExact(r.number("exitCode")),
                    Math.toIntExact(r.number("signal")), Instant.parse(r.text("finishedAt"))));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException | RuntimeException e) {
            throw new ContainerException("unreadable exit record in " + stateDir + ": " + e.getMessage(), e);
        }
    }

    /** The container's pid in the JVM's pid namespace. */
    public long pid() {
        return pid;
    }

    /** The monitor's pid; -1 when attached. */
    public long monitorPid() {
        return monitorPid;
    }

    public Lifetime lifetime() {
        return lifetime;
    }

    /** The exit status if the container has exited (without waiting). */
    public Optional<ExitStatus> exitStatus() {
        return waitFor(Duration.ZERO);
    }

    /** Waits up to {@code timeout} for the container to exit. */
    public Optional<ExitStatus> waitFor(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (exit == null) {
            long left = Math.max(0, (deadline - System.nanoTime()) / 1_000_000);
            lock.lock();
            try {
                if (exit == null) {
                    pollOnce(Math.min(left, POLL_SLICE_MILLIS));
                }
            } finally {
                lock.unlock();
            }
            if (exit == null && System.nanoTime() - deadline >= 0) {
                break;
            }
        }
        return Optional.ofNullable(exit);
    }

    /** Blocks until the container exits. */
    public ExitStatus waitFor() {
        while (true) {
            Optional<ExitStatus> s = waitFor(Duration.ofHours(1));
            if (s.isPresent()) {
                return s.get();
            }
        }
    }

    private void pollOnce(long millis) {
        if (channel != null) {
            Optional<ControlChannel.Message> m = channel.receive(millis);
            if (m.isEmpty()) {
                return;
            }
            ControlChannel.Message msg = m.get();
            if (msg.type() == ControlChannel.MSG_EXITED) {
                Instant at = stateDir.flatMap(LaunchedContainer::readExitFile).map(ExitStatus::finishedAt)
                        .orElseGet(Instant::now);
                finish(new ExitStatus(msg.a(), msg.b(), at));
            } else if (msg.type() == 0) { // the monitor went away without a word: trust only its record
                ExitStatus recorded = stateDir.flatMap(LaunchedContainer::readExitFile).orElse(null);
                finish(recorded);
                if (recorded == null) {
                    throw new ContainerException("the monitor of container " + pid + " exited without recording"
                            + " the container's exit");
                }
            }
            return;
        }
        if (closed) {
            throw new IllegalStateException("container " + pid + " was closed; attach() to it again");
        }
        if (pidfd < 0) {
            throw new ContainerException("cannot wait for container " + pid + ": no pidfd support and not its launcher");
        }
        if (pollPidfd(millis)) {
            ExitStatus recorded = awaitExitFile();
            finish(recorded);
        }
    }

    /** The process is gone; its monitor writes the record right after reaping it. */
    private ExitStatus awaitExitFile() {
        long deadline = System.nanoTime() + EXIT_FILE_GRACE.toNanos();
        while (true) {
            Optional<ExitStatus> recorded = stateDir.flatMap(LaunchedContainer::readExitFile);
            if (recorded.isPresent()) {
                return recorded.get();
            }
            if (System.nanoTime() - deadline > 0) {
                throw new ContainerException("container " + pid + " exited but its monitor recorded no exit in "
                        + stateDir.map(Path::toString).orElse("(no state dir)"));
            }
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ContainerException("interrupted", e);
            }
        }
    }

    private boolean pollPidfd(long millis) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Native.callState(arena);
            MemorySegment pfd = arena.allocate(Poll.POLLFD);
            Poll.set(pfd, 0, pidfd, Poll.POLLIN);
            int ready = Poll.poll(state, pfd, 1L, (int) millis);
            return ready > 0;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    private void finish(ExitStatus status) {
        exit = status;
        if (channel != null) {
            channel.close();
            channel = null;
        }
        closePidfd();
        reapHelper();
    }

    /**
     * Sends {@code signal} to the container's process; does nothing once it has exited. With a restart policy
     * the signal goes through the monitor, to whichever process it runs now.
     */
    public void signal(int signal) {
        if (exit != null) {
            return;
        }
        if (closed) {
            throw new IllegalStateException("container " + pid + " was closed; attach() to it again");
        }
        int fd = pidfd;
        ControlChannel ch = channel;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Native.callState(arena);
            int rc;
            if (ch != null && restarts) {
                ch.trySend(ControlChannel.MSG_SIGNAL, signal);
                return;
            } else if (fd >= 0) {
                rc = Pidfd.pidfd_send_signal(state, fd, signal, 0);
            } else if (ch != null) {
                ch.trySend(ControlChannel.MSG_SIGNAL, signal);
                return;
            } else {
                rc = Signals.kill(state, (int) pid, signal);
            }
            if (rc < 0 && Native.errno(state) != Errno.ESRCH && Native.errno(state) != Errno.EBADF) {
                throw new LinuxException(fd >= 0 ? "pidfd_send_signal" : "kill", "pid " + pid, Native.errno(state));
            }
        } catch (LinuxException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /**
     * Resizes the container's terminal ({@link LaunchPlan#terminal()}): the monitor sets the size on the
     * master and the kernel sends SIGWINCH to the terminal's foreground process group. Only the launching
     * JVM holds the monitor's control channel.
     *
     * @return false when there is no channel (attached, closed) or the monitor is gone
     */
    public boolean resizeTerminal(int rows, int cols) {
        LaunchPlan.TerminalSize size = new LaunchPlan.TerminalSize(rows, cols);
        ControlChannel ch = channel;
        return ch != null && exit == null && ch.trySend(ControlChannel.MSG_RESIZE, size.rows() << 16 | size.cols());
    }

    /**
     * Lets go of the container. A sandbox container is killed by its monitor (which this waits for); a
     * detached one keeps running and can be {@linkplain #attach attached} again.
     */
    @Override
    public void close() {
        lock.lock();
        try {
            if (channel != null) {
                channel.close();
                channel = null;
            }
            closed = true;
            closePidfd();
            reapHelper();
        } finally {
            lock.unlock();
        }
    }

    private void closePidfd() {
        if (pidfd >= 0) {
            Launcher.closeFd(pidfd);
            pidfd = -1;
        }
    }

    private void reapHelper() {
        if (helperToReap > 0) {
            Launcher.reap(helperToReap);
            helperToReap = 0;
        }
    }

    @Override
    public String toString() {
        return "LaunchedContainer[pid=" + pid + ", monitor=" + monitorPid + ", " + lifetime
                + (exit != null ? ", exited " + exit.exitCode() : "") + "]";
    }
}
