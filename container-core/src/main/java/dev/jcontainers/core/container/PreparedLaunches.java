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
 * ready entry, renames its cgroup to the container's, writes the limits and launches through it. Either
 * {@link #CAPACITY} entries are kept, refilled together once the last is taken ({@link #keepingReady}), or one is
 * prepared once, as the engine opens ({@link #once}); {@link #close()} ends what was not used, and the next engine
 * removes the empty cgroups a dead JVM left (its helpers and zygotes died with it).
 */
final class PreparedLaunches implements AutoCloseable {
    static final String PREFIX = "prepared-";
    /** Placeholder names carry the JVM's pid: whose they are, for a person looking and for tests on a shared host. */
    static final String OWN_PREFIX = PREFIX + ProcessHandle.current().pid() + "-";
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
    private final int capacity;
    private final boolean once;
    private final Executor background;
    private final ArrayDeque<Entry> ready = new ArrayDeque<>();
    private CompletableFuture<Void> refilling;
    private boolean preparing;
    private boolean spent;
    private boolean closed;

    /** @param background runs the refills: a platform thread each, as they wait in native calls */
    private PreparedLaunches(Cgroups cgroups, String parent, Supplier<Launcher> launcher, int capacity, boolean once,
                             Executor background) {
        this.cgroups = cgroups;
        this.parent = parent;
        this.launcher = launcher;
        this.capacity = capacity;
        this.once = once;
        this.background = background;
        removeLeftovers();
    }

    /** {@link #CAPACITY} entries, prepared after each start that took the last (the first start prepares them). */
    static PreparedLaunches keepingReady(Cgroups cgroups, String parent, Supplier<Launcher> launcher,
                                         Executor background) {
        return new PreparedLaunches(cgroups, parent, launcher, CAPACITY, false, background);
    }

    /**
     * One entry, whose preparation begins now, and no other after it: for a process that starts one container
     * (the CLI). Its start waits for the entry rather than launching without it: the preparation had a head start.
     */
    static PreparedLaunches once(Cgroups cgroups, String parent, Supplier<Launcher> launcher) {
        PreparedLaunches prepared = new PreparedLaunches(cgroups, parent, launcher, 1, true,
                task -> Thread.ofPlatform().daemon().name("prepare-launch").start(task));
        prepared.replenish(CompletableFuture.completedFuture(null));
        return prepared;
    }

    /**
     * A ready entry, if any. When a refill is under way (its quiet wait over), waits for it: the rest of it is no
     * longer than the cgroup attach an ordinary start would wait for (whose {@code cgroup_mutex} would queue behind
     * the refill's anyway), and it leaves an entry for the next start too. A {@link #once} refill is waited for
     * from its start: it had a head start.
     */
    synchronized Optional<Entry> take() {
        while (ready.isEmpty() && (preparing || once && refilling != null) && !closed) {
            try {
                wait();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return Optional.ofNullable(ready.poll());
    }

    /** Waits until no refill is under way (for a steady count of helpers, sockets and cgroups, as tests take). */
    synchronized void awaitIdle() throws InterruptedException {
        while (refilling != null && !closed) {
            wait();
        }
    }

    /**
     * Prepares the next entries in the background unless one is ready or under way. Called once a start's launch is
     * done; the refill waits until {@code quiet} completes (the new container's exit has been cleaned up), at most
     * {@link #QUIET_WAIT}: helpers spawned and cgroups made while that container runs would compete with it and its
     * exit for the CPU and for the kernel's {@code cgroup_mutex} (every cgroup mkdir and rmdir takes it, and an
     * attach holds it through its grace period); a short-lived container's exit comes well within that time.
     */
    synchronized void replenish(CompletableFuture<?> quiet) {
        if (!closed && !spent && refilling == null && ready.isEmpty()) {
            spent = once;
            refilling = CompletableFuture.runAsync(() -> refill(quiet), background);
        }
    }

    /**
     * Prepares {@link #capacity} entries and attaches their zygotes back to back: only the first attach waits for a
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
            for (int i = 0; open && i < capacity; i++) {
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
        String name = OWN_PREFIX + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
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

    /** Empty placeholder cgroups of JVMs that died; a live JVM's stay (empty for a moment before its attach). */
    private void removeLeftovers() {
        for (String name : cgroups.children(parent)) {
            if (name.startsWith(PREFIX) && !ownerAlive(name)) {
                try {
                    cgroups.open(parent, name).destroy(Duration.ZERO);
                } catch (CgroupException busyOrGone) {
                    // in use after all (the pid was reused), or removed meanwhile
                }
            }
        }
    }

    /** Whether the JVM named in {@code prepared-<pid>-<random>} runs; false for other shapes. */
    private static boolean ownerAlive(String placeholder) {
        String rest = placeholder.substring(PREFIX.length());
        int dash = rest.indexOf('-');
        try {
            return dash > 0 && ProcessHandle.of(Long.parseLong(rest.substring(0, dash))).isPresent();
        } catch (NumberFormatException e) {
            return false;
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
