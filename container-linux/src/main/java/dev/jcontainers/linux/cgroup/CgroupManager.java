package dev.jcontainers.linux.cgroup;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * One container's cgroup, made by {@link Cgroups#create} (or found again by {@link Cgroups#open}).
 * Methods are safe to call from several threads; none of them touch cgroups outside this one.
 */
public sealed interface CgroupManager permits CgroupV1Manager, CgroupV2Manager {

    /** How long {@link #destroy()} and {@link #killAll()} wait for processes to go. */
    Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

    CgroupVersion version();

    /** The cgroup's path below each hierarchy root, e.g. {@code jcontainers/c0ffee}. */
    String relativePath();

    /** Moves process {@code pid} (and its threads) into this cgroup in every hierarchy. */
    void addProcess(long pid);

    /** Applies the limits present in {@code limits}; absent ones keep their current values. */
    void update(CgroupLimits limits);

    CgroupStats stats();

    /** True once the OOM killer has killed a process because of this cgroup's memory limit. */
    boolean oomKilled();

    /** The processes now in the cgroup. */
    List<Long> processes();

    /**
     * Freezes every process in the cgroup ({@code docker pause}) and waits until the kernel reports it
     * frozen. Frozen processes keep their state and get no CPU; a SIGKILL still ends them.
     *
     * @throws CgroupException when the host has no freezer or the cgroup does not freeze in time
     */
    void freeze();

    /** Lets the processes of a frozen cgroup run again ({@code docker unpause}); a no-op when not frozen. */
    void thaw();

    /** True while the cgroup is frozen by {@link #freeze()}. */
    boolean frozen();

    /** SIGKILLs every process in the cgroup, without races against forks, and waits until they are gone. */
    void killAll();

    /**
     * Removes the cgroup from every hierarchy once its processes have exited (it does not kill them:
     * call {@link #killAll()} first). Idempotent. Throws {@link CgroupException} if processes remain.
     */
    default void destroy() {
        destroy(DEFAULT_TIMEOUT);
    }

    void destroy(Duration timeout);

    /** The cgroup's directories, each once: one per v1 hierarchy, the one directory on v2. */
    List<Path> directories();

    /** True while the cgroup directory exists. */
    boolean exists();

    /**
     * The cgroup's directory serving {@code controller} (e.g. "memory"); on v2 the one directory whatever
     * the controller, which is also what {@code CLONE_INTO_CGROUP} needs.
     *
     * @throws IllegalArgumentException if this cgroup has no directory for that controller
     */
    Path path(String controller);
}
