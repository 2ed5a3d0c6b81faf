package dev.jcontainers.core.container;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
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
 * ready entry, renames its cgroup to the container's, writes the limits and launches through it. One entry is kept
 * (a start refills it); {@link #close()} ends what was not used, and the next engine removes the empty cgroups a
 * dead JVM left (its helpers and zygotes died with it).
 */
final class PreparedLaunches implements AutoCloseable {
    static final String PREFIX = "prepared-";

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
    private final ArrayDeque<Entry> ready = new ArrayDeque<>();
    private Thread refilling;
    private boolean closed;

    PreparedLaunches(Cgroups cgroups, String parent, Supplier<Launcher> launcher) {
        this.cgroups = cgroups;
        this.parent = parent;
        this.launcher = launcher;
        removeLeftovers();
    }

    /** A ready entry, if any; a refill starts in the background either way. */
    synchronized Optional<Entry> take() {
        Optional<Entry> entry = Optional.ofNullable(ready.poll());
        if (!closed && refilling == null && ready.isEmpty()) {
            refilling = Thread.ofPlatform().daemon().name("prepare-launch").start(this::refill);
        }
        return entry;
    }

    private void refill() {
        Entry entry = null;
        try {
            entry = prepare();
        } catch (RuntimeException e) {
            // no prepared launch this time: starts take the ordinary path
        }
        synchronized (this) {
            refilling = null;
            if (entry != null && !closed) {
                ready.add(entry);
                return;
            }
        }
        if (entry != null) {
            entry.discard();
        }
    }

    private Entry prepare() {
        String name = PREFIX + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
        CgroupManager cgroup = cgroups.create(parent, name, CgroupLimits.builder().build());
        Launcher.Prepared launch = null;
        try {
            launch = launcher.get().prepare();
            cgroup.addProcess(launch.zygotePid()); // the ~10 ms wait, here
            return new Entry(launch, cgroup);
        } catch (RuntimeException e) {
            if (launch != null) {
                launch.close();
            }
            try {
                cgroup.killAll();
                cgroup.destroy();
            } catch (RuntimeException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
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
        Thread pending;
        synchronized (this) {
            closed = true;
            unused = ready.toArray(Entry[]::new);
            ready.clear();
            pending = refilling;
        }
        if (pending != null) {
            try {
                pending.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (Entry entry : unused) {
            try {
                entry.discard();
            } catch (RuntimeException ignored) {
                // best effort: the next engine removes an empty placeholder cgroup
            }
        }
    }
}
