package dev.jcontainers.core.container;

import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import dev.jcontainers.linux.cgroup.CgroupVersion;
import dev.jcontainers.linux.cgroup.Cgroups;
import dev.jcontainers.linux.launch.Launcher;

/**
 * One launch helper prepared from the moment an engine opens ({@code LaunchPreparation.ONCE}), before the container
 * service that will use it exists: cgroup detection, the helper's check and spawn, and its zygote's v1 cgroup attach
 * (an RCU grace period in the kernel) run beside the engine's own opening and the caller's create, which come first
 * on a one-shot CLI's path. The service takes the cgroup layout and launcher made here, and the prepared entry.
 */
public final class LaunchAhead implements AutoCloseable {
    /** What the preparation made; {@code launches} is empty on cgroup v2, where nothing needs preparing. */
    record Made(Cgroups cgroups, Launcher launcher, Optional<PreparedLaunches> launches) {
    }

    private final CompletableFuture<Made> made = new CompletableFuture<>();
    private boolean closed; // guarded by this

    private LaunchAhead() {
    }

    /** Begins the preparation for an engine on {@code root}, on a thread of its own. */
    public static LaunchAhead begin(Path root) {
        LaunchAhead ahead = new LaunchAhead();
        Thread.ofPlatform().daemon().name("prepare-launch").start(() -> ahead.prepare(root));
        return ahead;
    }

    private void prepare(Path root) {
        try {
            Cgroups cgroups = Cgroups.detect();
            Launcher launcher = Launcher.extractedTo(root.resolve("bin"));
            Optional<PreparedLaunches> launches = Optional.empty();
            synchronized (this) {
                if (!closed && cgroups.version() == CgroupVersion.V1) { // closed: nobody would end them
                    launches = Optional.of(PreparedLaunches.once(cgroups, ContainerService.CGROUP_PARENT, () -> launcher));
                }
            }
            made.complete(new Made(cgroups, launcher, launches));
        } catch (RuntimeException | Error e) {
            made.completeExceptionally(e);
        }
    }

    /** What was made, once it is; empty if the preparation failed (the service then does the same work itself). */
    Optional<Made> made() {
        try {
            return Optional.of(made.join());
        } catch (RuntimeException failed) {
            return Optional.empty();
        }
    }

    /** Ends a prepared helper that no start took; waits for a preparation under way. */
    @Override
    public void close() {
        synchronized (this) {
            closed = true;
        }
        made().flatMap(Made::launches).ifPresent(PreparedLaunches::close);
    }
}
