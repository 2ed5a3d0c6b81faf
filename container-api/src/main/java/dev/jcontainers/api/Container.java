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
     * ({@link ContainerStateException}): its monitor was told at launch to kill it with this JVM.
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
