package dev.jcontainers.api;

import java.time.Duration;
import java.util.OptionalInt;

/**
 * A container. Closing it removes it with its anonymous volumes: a running container is killed first, as
 * {@code docker rm -fv} does; try-with-resources therefore leaves nothing behind but named volumes.
 */
public interface Container extends AutoCloseable {
    String id();

    String name();

    /** Starts a created container; returns this. */
    Container start();

    /** Blocks until the process exits; returns its exit code (128 + signal when killed, 137 after OOM). */
    int waitFor();

    /** As {@link #waitFor()}, but throws {@link WaitTimeoutException} after {@code timeout}. */
    int waitFor(Duration timeout);

    /** Stops with the container's stop signal, then SIGKILL after its stop timeout (default 10 s). */
    void stop();

    void stop(Duration timeout);

    /** SIGKILL. */
    void kill();

    /** Any signal, by name ({@code TERM}, {@code SIGHUP}) or number. */
    void kill(String signal);

    /**
     * Freezes every process of the running container ({@code docker pause}, the cgroup freezer): its status
     * becomes {@link ContainerStatus#PAUSED}. Stop, kill and remove still work on a paused container.
     *
     * @throws ContainerStateException when it is not running, or already paused
     */
    void pause();

    /**
     * Lets a paused container run again ({@code docker unpause}).
     *
     * @throws ContainerStateException when it is not paused
     */
    void unpause();

    /**
     * The processes of the running container, from its cgroup, in pid order ({@code docker top}); pids are
     * the host's.
     *
     * @throws ContainerStateException when the container is not running
     */
    java.util.List<ProcessInfo> top();

    /** Removes a stopped container; with {@code force} a running one is killed first. Its volumes are kept. */
    default void remove(boolean force) {
        remove(force, false);
    }

    /**
     * As {@link #remove(boolean)}; with {@code removeVolumes} the container's anonymous volumes go too
     * ({@code docker rm -v}). Named volumes are always kept.
     */
    void remove(boolean force, boolean removeVolumes);

    /**
     * Turns an exited (or never started) sandbox into a detached container: it is kept when this JVM ends,
     * and a later {@link #start()} runs it detached. A running sandbox cannot be detached
     * ({@link ContainerStateException}): its monitor was told at launch to kill it with this JVM. Its root
     * filesystem (a sandbox's is mounted without syncs) is unmounted, to be mounted durable at the next start: while
     * something uses that mount, detaching fails ({@link ContainerStateException}).
     * {@code jc run} uses this to keep a foreground container after it exits, as {@code docker run} does.
     */
    void detach();

    /**
     * Blocks until the container's health check reports healthy.
     *
     * @throws WaitTimeoutException     when it is not healthy within {@code timeout}
     * @throws ContainerStateException  when it turns unhealthy, exits, or has no health check
     */
    void waitForHealthy(Duration timeout);

    /**
     * Blocks until {@code strategy} holds ({@link Wait} makes them).
     *
     * @throws ContainerWaitTimeoutException when it does not hold within {@code timeout}
     * @throws ContainerWaitException        at once when the container exits first (unless awaited) or turns
     *                                       unhealthy; both carry its state and last log lines
     * @throws ContainerStateException       when the container was never started, or has no health check
     *                                       for {@link Wait#forHealthy()}
     */
    void waitUntil(WaitStrategy strategy, Duration timeout);

    ContainerStatus status();

    OptionalInt exitCode();

    ContainerInfo inspect();

    ContainerLogs logs();

    /**
     * Resource use read from the container's cgroup now.
     *
     * @throws ContainerStateException when the container is not running
     */
    ContainerStats stats();

    /** What the container changed in its root filesystem, sorted by path ({@code docker diff}). */
    java.util.List<FileChange> diff();

    /**
     * A new image from the container's changes on top of its image ({@code docker commit}), tagged
     * {@code reference}; the image's config is kept, {@code createdBy} goes into its history.
     */
    ImageSummary commit(String reference, String createdBy);

    /**
     * Runs {@code command} inside the running container (all its namespaces, its cgroup, user, environment,
     * working directory and capabilities), waits for it and returns its exit code and captured output. The
     * command is looked up in the container's {@code PATH}. A process still running when the container
     * stops dies with it.
     *
     * @throws ContainerStateException when the container is not running
     */
    ExecResult exec(String... command);

    /** As {@link #exec(String...)}, with the user, environment, working directory, stdin or timeout given. */
    ExecResult exec(ExecOptions options, String... command);

    /**
     * Starts a created container with its standard streams attached to the caller ({@code docker start -a},
     * or {@code docker run} without {@code -d}): stdout and stderr (the terminal, with {@code tty}) come to
     * the returned streams and are also logged; stdin is relayed when the container was created with
     * {@code stdinOpen}. Only the starting JVM can attach.
     */
    default AttachedProcess startAttached() {
        return startAttached(0, 0);
    }

    /**
     * As {@link #startAttached()}; a container with {@code tty} gets a terminal of {@code rows} by
     * {@code cols} from the start (0, 0: the kernel's default).
     */
    AttachedProcess startAttached(int rows, int cols);

    /**
     * As {@link #exec(ExecOptions, String...)}, but the process's streams are attached to the caller instead
     * of captured, so it can be interactive ({@code docker exec -i}, with {@link ExecOptions#tty()} also
     * {@code -t}). {@link ExecOptions#stdin()} is ignored: write to {@link AttachedProcess#stdin()}.
     *
     * @throws ContainerStateException when the container is not running
     */
    AttachedProcess execAttached(ExecOptions options, String... command);

    /**
     * {@code docker cp HOSTPATH CONTAINER:PATH}, with Docker's rules: a file goes to {@code containerPath}
     * or, when that is a directory, into it under its own name; a directory is copied into an existing
     * directory under its own name, or becomes {@code containerPath} when that does not exist; a source
     * ending in {@code /.} copies the directory's contents. Symlinks are copied as links. Files get uid and
     * gid 0 unless {@code keepOwnership} ({@code -a}) keeps the host's.
     *
     * <p>Paths in the container resolve inside its root only ({@code openat2(RESOLVE_IN_ROOT)}): a symlink
     * to {@code /} or {@code ../..} stays in the container. A running container is seen as its processes see
     * it, volumes and bind mounts included; a stopped one is its own filesystem, and a path under one of its
     * volume or bind mount points is refused ({@link ContainerStateException}).
     *
     * @throws ContainerPathNotFoundException when the source or the destination's directory does not exist
     * @throws UnsafePathException            for a path through a magic link ({@code /proc/self/root})
     */
    void copyTo(java.nio.file.Path hostPath, String containerPath, boolean keepOwnership);

    default void copyTo(java.nio.file.Path hostPath, String containerPath) {
        copyTo(hostPath, containerPath, false);
    }

    /**
     * {@code docker cp CONTAINER:PATH HOSTPATH}, with the rules of {@link #copyTo} the other way round. Files
     * are owned by the caller unless {@code keepOwnership} keeps the container's ids. The copy cannot leave
     * {@code hostPath}'s directory, whatever the container's symlinks say.
     */
    void copyFrom(String containerPath, java.nio.file.Path hostPath, boolean keepOwnership);

    default void copyFrom(String containerPath, java.nio.file.Path hostPath) {
        copyFrom(containerPath, hostPath, false);
    }

    /**
     * {@code docker cp CONTAINER:PATH -}: writes {@code containerPath} as a tar stream to {@code tar}, its
     * entries named from the path's last component (its contents only for a path ending in {@code /.}).
     */
    void copyFrom(String containerPath, java.io.OutputStream tar);

    /**
     * {@code docker cp - CONTAINER:DIR}: extracts the tar stream into the existing directory {@code dir};
     * entries with {@code ..} components are refused ({@link UnsafePathException}).
     */
    void copyTo(java.io.InputStream tar, String dir, boolean keepOwnership);

    /**
     * {@code docker network connect}: gives the container an address on {@code network} (a user-defined
     * network: name, ID or ID prefix), under its name and {@code aliases}; a running container gets the new
     * interface ({@code eth1}, ...) at once. {@link ContainerException} if it is connected already.
     */
    void connect(String network, java.util.List<String> aliases);

    /** {@code docker network disconnect}: removes the container's interface and address on {@code network}. */
    void disconnect(String network);

    @Override
    void close();
}
