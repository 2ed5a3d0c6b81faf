package dev.jcontainers.core.container;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

import dev.jcontainers.linux.cgroup.CgroupException;
import dev.jcontainers.linux.cgroup.CgroupLimits;
import dev.jcontainers.linux.cgroup.CgroupManager;
import dev.jcontainers.linux.cgroup.Cgroups;
import dev.jcontainers.linux.launch.Launcher;

/**
 * Launch helpers prepared ahead of their containers on cgroup v1, each with its zygote already in a cgroup of its
 * own under a placeholder name ({@value #PREFIX}...). On v1 the first {@code cgroup.procs} write of a process
 * waits ~10 ms for an RCU grace period in the kernel; here a background thread pays it, and a start takes a
 * ready entry, renames its cgroup to the container's, writes the limits and launches through it. Up to
 * {@link #CAPACITY} entries are kept, refilled together once the last is taken; {@link #close()} ends what was not
 * used, and the next engine removes the empty cgroups a dead JVM left (its helpers and zygotes died with it).
 */
final class PreparedLaunches implements AutoCloseable {
    static final String PREFIX = "prepared-";
    /** Entries per refill: an idle one costs a small helper process, its zygote and an empty cgroup. */
    static final int CAPACITY = 2;
    private static final Duration QUIET_WAIT = Duration.ofMillis(100);

    /** A prepared helper and the cgroup its zygote sits in. */
    record Entry(Launcher.Prepared launch, CgroupManager cgroup) {
        void discard() {
            launch.close(); // the zygote dies with its helper, leaving the cgroup empty
            cgroup.killAll();
            cgroup.destroy();
        }
    }

    private final Cgroups cgroups;
    private final String parent;
    private final Supplier<Launcher> launcher;
    private final Executor background;
    private final ArrayDeque<Entry> ready = new ArrayDeque<>();
    private CompletableFuture<Void> refilling;
    private boolean preparing;
    private boolean closed;

    /** @param background runs the refills: a platform thread each, as they wait in native calls */
    PreparedLaunches(Cgroups cgroups, String parent, Supplier<Launcher> launcher, Executor background) {
        this.cgroups = cgroups;
        this.parent = parent;
        this.launcher = launcher;
        this.background = background;
        removeLeftovers();
    }

    /**
     * A ready entry, if any. When a refill is under way (its quiet wait over), waits for it: the rest of it is no
     * longer than the cgroup attach an ordinary start would wait for (whose {@code cgroup_mutex} would queue behind
     * the refill's anyway), and it leaves an entry for the next start too.
     */
    synchronized Optional<Entry> take() {
        while (ready.isEmpty() && preparing && !closed) {
            try {
                wait();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return Optional.ofNullable(ready.poll());
    }

    /**
     * Prepares the next entries in the background unless one is ready or under way. Called once a start's launch is
     * done; the refill waits until {@code quiet} completes (the new container's exit has been cleaned up), at most
     * {@link #QUIET_WAIT}: helpers spawned and cgroups made while that container runs would compete with it and its
     * exit for the CPU and for the kernel's {@code cgroup_mutex} (every cgroup mkdir and rmdir takes it, and an
     * attach holds it through its grace period); a short-lived container's exit comes well within that time.
     */
    synchronized void replenish(CompletableFuture<?> quiet) {
        if (!closed && refilling == null && ready.isEmpty()) {
            refilling = CompletableFuture.runAsync(() -> refill(quiet), background);
        }
    }

    /**
     * Prepares {@link #CAPACITY} entries and attaches their zygotes back to back: only the first attach waits for a
     * grace period, the kernel lets writers that follow within one go through at once.
     */
    private void refill(CompletableFuture<?> quiet) {
        List<Entry> entries = new ArrayList<>();
        try {
            try {
                quiet.get(QUIET_WAIT.toNanos(), TimeUnit.NANOSECONDS);
            } catch (TimeoutException | ExecutionException | CancellationException e) {
                // still running, or failed: prepare now
            }
            boolean open;
            synchronized (this) {
                open = preparing = !closed;
            }
            for (int i = 0; open && i < CAPACITY; i++) {
                entries.add(prepare());
            }
            for (Entry entry : entries) {
                entry.cgroup().addProcess(entry.launch().zygotePid()); // the first waits ~10 ms, here
            }
        } catch (InterruptedException | RuntimeException e) {
            entries.forEach(PreparedLaunches::discardQuietly);
            entries.clear();
        }
        synchronized (this) {
            refilling = null;
            preparing = false;
            notifyAll();
            if (!closed) {
                ready.addAll(entries);
                return;
            }
        }
        entries.forEach(PreparedLaunches::discardQuietly);
    }

    /** A fresh placeholder cgroup and a helper whose zygote is not in it yet. */
    private Entry prepare() {
        String name = PREFIX + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
        CgroupManager cgroup = cgroups.create(parent, name, CgroupLimits.builder().build());
        try {
            return new Entry(launcher.get().prepare(), cgroup);
        } catch (RuntimeException e) {
            try {
                cgroup.destroy();
            } catch (RuntimeException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
    }

    private static void discardQuietly(Entry entry) {
        try {
            entry.discard();
        } catch (RuntimeException ignored) {
            // best effort: the next engine removes an empty placeholder cgroup
        }
    }

    /** Empty placeholder cgroups of JVMs that died; another live engine's are busy and stay. */
    private void removeLeftovers() {
        for (String name : cgroups.children(parent)) {
            if (name.startsWith(PREFIX)) {
                try {
                    cgroups.open(parent, name).destroy(Duration.ZERO);
                } catch (CgroupException busyOrGone) {
                    // in use by a live engine, or removed meanwhile
                }
            }
        }
    }

    /** Ends every unused entry; waits for a refill under way to finish first (it then discards its entry). */
    @Override
    public void close() {
        Entry[] unused;
        Future<Void> pending;
        synchronized (this) {
            closed = true;
            notifyAll();
            unused = ready.toArray(Entry[]::new);
            ready.clear();
            pending = refilling;
        }
        if (pending != null) {
            try {
                pending.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException e) {
                // refill discards its entries on failure itself
            }
        }
        for (Entry entry : unused) {
            discardQuietly(entry);
        }
    }
}
