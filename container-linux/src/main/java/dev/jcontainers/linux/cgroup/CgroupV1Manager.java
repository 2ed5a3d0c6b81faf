package dev.jcontainers.linux.cgroup;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * A container cgroup on v1: one directory per hierarchy (co-mounted controllers such as cpu,cpuacct
 * share one), all at the same relative path.
 */
final class CgroupV1Manager implements CgroupManager {

    /** The controllers a container joins, in the order its directories are made. */
    static final List<String> CONTROLLERS = List.of("cpuset", "memory", "cpu", "cpuacct", "pids", "blkio", "freezer");

    private final ControlFiles files;
    private final String relativePath;
    private final Map<String, Path> dirs;

    private CgroupV1Manager(ControlFiles files, String relativePath, Map<String, Path> dirs) {
        this.files = files;
        this.relativePath = relativePath;
        this.dirs = Map.copyOf(dirs);
    }

    static CgroupV1Manager open(ControlFiles files, CgroupLayout layout, String relativePath) {
        Map<String, Path> dirs = new LinkedHashMap<>();
        for (String controller : CONTROLLERS) {
            Path mount = layout.v1Controllers().get(controller);
            if (mount != null) {
                dirs.put(controller, mount.resolve(relativePath));
            }
        }
        return new CgroupV1Manager(files, relativePath, dirs);
    }

    /** The mount points of the hierarchies we use, each once. */
    static Collection<Path> usedMounts(CgroupLayout layout) {
        LinkedHashSet<Path> mounts = new LinkedHashSet<>();
        for (String controller : CONTROLLERS) {
            Path mount = layout.v1Controllers().get(controller);
            if (mount != null) {
                mounts.add(mount);
            }
        }
        return mounts;
    }

    static CgroupV1Manager create(ControlFiles files, CgroupLayout layout, String[] parent, String relativePath,
                                  CgroupLimits limits) {
        CgroupV1Manager manager = open(files, layout, relativePath);
        Path cpusetMount = layout.v1Controllers().get("cpuset");
        List<Path> made = new ArrayList<>();
        try {
            for (Path mount : usedMounts(layout)) {
                Path dir = mount;
                for (String segment : parent) {
                    Path child = dir.resolve(segment);
                    files.mkdir(child);
                    if (mount.equals(cpusetMount)) {
                        inheritCpuset(files, dir, child);
                    }
                    dir = child;
                }
                Path own = mount.resolve(relativePath);
                if (!files.mkdir(own)) {
                    throw new CgroupException("cgroup " + own + " exists already");
                }
                made.add(own);
                if (mount.equals(cpusetMount)) {
                    inheritCpuset(files, dir, own);
                }
            }
            manager.update(limits);
            return manager;
        } catch (RuntimeException e) {
            for (Path dir : made.reversed()) {
                try {
                    files.removeDir(dir, Duration.ZERO);
                } catch (CgroupException cleanup) {
                    e.addSuppressed(cleanup);
                }
            }
            throw e;
        }
    }

    /**
     * A new v1 cpuset starts with no cpus and no memory nodes, and no task can join it until both are
     * set; copy them from the parent (unless already set, e.g. by a concurrent creator).
     */
    private static void inheritCpuset(ControlFiles files, Path parent, Path child) {
        for (String file : List.of("cpuset.cpus", "cpuset.mems")) {
            if (files.read(child, file).isEmpty()) {
                files.write(child, file, files.read(parent, file));
            }
        }
    }

    @Override
    public CgroupVersion version() {
        return CgroupVersion.V1;
    }

    @Override
    public String relativePath() {
        return relativePath;
    }

    @Override
    public void addProcess(long pid) {
        for (Path dir : distinctDirs()) {
            files.write(dir, "cgroup.procs", Long.toString(pid));
        }
    }

    @Override
    public void update(CgroupLimits limits) {
        applyMemory(limits);
        limits.cpus().ifPresent(cpus -> {
            Path cpu = require("cpu", "cpus");
            files.write(cpu, "cpu.cfs_period_us", Long.toString(CgroupLimits.CPU_PERIOD_US));
            files.write(cpu, "cpu.cfs_quota_us", Long.toString(CgroupLimits.cpuQuotaUs(cpus)));
        });
        limits.cpuShares().ifPresent(shares -> files.write(require("cpu", "cpuShares"), "cpu.shares",
                Long.toString(shares)));
        limits.cpusetCpus().ifPresent(cpus -> files.write(require("cpuset", "cpusetCpus"), "cpuset.cpus", cpus));
        limits.cpusetMems().ifPresent(mems -> files.write(require("cpuset", "cpusetMems"), "cpuset.mems", mems));
        limits.pidsLimit().ifPresent(max -> files.write(require("pids", "pidsLimit"), "pids.max",
                max == CgroupLimits.UNLIMITED ? "max" : Long.toString(max)));
        limits.blkioWeight().ifPresent(weight -> {
            Path blkio = require("blkio", "blkioWeight");
            // blkio.weight belongs to CFQ (gone since 5.0); BFQ offers the same knob under its own name
            String file = files.has(blkio, "blkio.weight") ? "blkio.weight" : "blkio.bfq.weight";
            if (!files.has(blkio, file)) {
                throw new CgroupException("blkioWeight: " + blkio + " has neither blkio.weight nor blkio.bfq.weight"
                        + " (no proportional I/O scheduler on this host)");
            }
            files.write(blkio, file, Integer.toString(weight));
        });
        if (limits.hasDeviceRates()) {
            Path blkio = require("blkio", "device rates");
            throttle(blkio, "blkio.throttle.read_bps_device", limits.readBps());
            throttle(blkio, "blkio.throttle.write_bps_device", limits.writeBps());
            throttle(blkio, "blkio.throttle.read_iops_device", limits.readIops());
            throttle(blkio, "blkio.throttle.write_iops_device", limits.writeIops());
        }
    }

    /**
     * memsw (memory+swap) must never be below the memory limit, so the order of the two writes depends
     * on whether the new memsw grows or shrinks (as runc does).
     */
    private void applyMemory(CgroupLimits limits) {
        limits.memoryReservation().ifPresent(bytes -> files.write(require("memory", "memoryReservation"),
                "memory.soft_limit_in_bytes", Long.toString(bytes)));
        OptionalLong memory = limits.memory();
        OptionalLong swap = limits.memorySwap();
        if (memory.isEmpty() && swap.isEmpty()) {
            return;
        }
        Path dir = require("memory", memory.isPresent() ? "memory" : "memorySwap");
        boolean hasMemsw = files.has(dir, "memory.memsw.limit_in_bytes");
        if (swap.isPresent() && !hasMemsw) {
            throw new CgroupException("memorySwap: the kernel does not account swap (no memory.memsw.limit_in_bytes;"
                    + " boot with swapaccount=1)");
        }
        // Lifting the memory limit alone must lift memsw too, or the kernel refuses (memsw < memory).
        boolean liftsMemory = memory.isPresent() && memory.getAsLong() == CgroupLimits.UNLIMITED;
        if (swap.isEmpty() && !(liftsMemory && hasMemsw)) {
            files.write(dir, "memory.limit_in_bytes", Long.toString(memory.getAsLong()));
            return;
        }
        long newSwap = swap.orElse(CgroupLimits.UNLIMITED);
        long currentSwap = files.readLimit(dir, "memory.memsw.limit_in_bytes");
        boolean swapGrows = newSwap == CgroupLimits.UNLIMITED
                || (currentSwap != CgroupLimits.UNLIMITED && newSwap > currentSwap);
        if (swapGrows || memory.isEmpty()) {
            files.write(dir, "memory.memsw.limit_in_bytes", Long.toString(newSwap));
            memory.ifPresent(bytes -> files.write(dir, "memory.limit_in_bytes", Long.toString(bytes)));
        } else {
            files.write(dir, "memory.limit_in_bytes", Long.toString(memory.getAsLong()));
            files.write(dir, "memory.memsw.limit_in_bytes", Long.toString(newSwap));
        }
    }

    private void throttle(Path blkio, String file, List<DeviceRate> rates) {
        for (DeviceRate rate : rates) {
            files.write(blkio, file, rate.device() + " " + rate.rate());
        }
    }

    @Override
    public CgroupStats stats() {
        Path memory = dirs.get("memory");
        Path cpuacct = dirs.get("cpuacct");
        Path pids = dirs.get("pids");
        return new CgroupStats(
                memory == null ? -1 : files.readLimit(memory, "memory.usage_in_bytes"),
                memory == null ? -1 : files.readLimit(memory, "memory.max_usage_in_bytes"),
                memory == null ? -1 : files.readLimit(memory, "memory.limit_in_bytes"),
                cpuacct == null ? -1 : files.readLimit(cpuacct, "cpuacct.usage"),
                pids == null ? -1 : files.readLimit(pids, "pids.current"),
                oomKills());
    }

    /** From memory.oom_control's oom_kill counter (kernel 4.13+); -1 when the kernel has none. */
    private long oomKills() {
        Path memory = dirs.get("memory");
        if (memory == null) {
            return -1;
        }
        return files.readKeyed(memory, "memory.oom_control").getOrDefault("oom_kill", -1L);
    }

    @Override
    public boolean oomKilled() {
        long kills = oomKills();
        if (kills >= 0) {
            return kills > 0;
        }
        // Older kernels count only hits of the limit; the best evidence they offer.
        Path memory = dirs.get("memory");
        return memory != null && files.readLimit(memory, "memory.failcnt") > 0;
    }

    @Override
    public List<Long> processes() {
        List<Path> all = distinctDirs();
        return all.isEmpty() ? List.of() : files.pids(all.getFirst());
    }

    @Override
    public void freeze() {
        Path freezer = require("freezer", "pause");
        files.write(freezer, "freezer.state", "FROZEN");
        long deadline = System.nanoTime() + DEFAULT_TIMEOUT.toNanos();
        while (!files.read(freezer, "freezer.state").equals("FROZEN")) { // FREEZING while tasks are stopped
            if (System.nanoTime() - deadline > 0) {
                files.write(freezer, "freezer.state", "THAWED");
                throw new CgroupException("cgroup " + freezer + " did not freeze within " + DEFAULT_TIMEOUT);
            }
            ControlFiles.sleep(1);
        }
    }

    @Override
    public void thaw() {
        files.write(require("freezer", "unpause"), "freezer.state", "THAWED");
    }

    @Override
    public boolean frozen() {
        Path freezer = dirs.get("freezer");
        try {
            return freezer != null && files.exists(freezer) && files.read(freezer, "freezer.state").equals("FROZEN");
        } catch (CgroupException e) {
            if (files.exists(freezer)) {
                throw e;
            }
            return false; // removed meanwhile (its files then read ENODEV): an exited container is not paused
        }
    }

    /**
     * Freezes the cgroup so nothing can fork while the kill runs, SIGKILLs every process, then thaws
     * (frozen tasks only die once thawed). Without a freezer, kills until the cgroup stays empty. An empty
     * cgroup (the usual case: the container exited) is left unfrozen: with no task in it nothing can fork
     * into it, and the freeze/thaw round trip cost about a millisecond of every exit.
     */
    @Override
    public void killAll() {
        Path freezer = dirs.get("freezer");
        long deadline = System.nanoTime() + DEFAULT_TIMEOUT.toNanos();
        if (freezer != null && files.exists(freezer) && !files.pids(freezer).isEmpty()) {
            try {
                files.write(freezer, "freezer.state", "FROZEN");
                try {
                    while (!files.read(freezer, "freezer.state").equals("FROZEN")) {
                        if (System.nanoTime() - deadline > 0) {
                            throw new CgroupException("cgroup " + freezer + " did not freeze within " + DEFAULT_TIMEOUT);
                        }
                        ControlFiles.sleep(1);
                    }
                    files.pids(freezer).forEach(ControlFiles::sigkill);
                } finally {
                    files.write(freezer, "freezer.state", "THAWED");
                }
            } catch (CgroupException e) {
                if (files.exists(freezer)) {
                    throw e;
                }
                return; // emptied and removed meanwhile by another owner of this cgroup: nothing is left to kill
            }
        }
        for (Path dir : distinctDirs()) {
            List<Long> pids;
            while (files.exists(dir) && !(pids = files.pids(dir)).isEmpty()) { // one read of cgroup.procs a round
                if (System.nanoTime() - deadline > 0) {
                    throw new CgroupException("processes " + pids + " in " + dir + " survived SIGKILL");
                }
                pids.forEach(ControlFiles::sigkill);
                ControlFiles.sleep(2);
            }
        }
    }

    @Override
    public void destroy(Duration timeout) {
        for (Path dir : distinctDirs()) {
            files.removeDir(dir, timeout);
        }
    }

    /** Renames each of our directories to {@code target}'s in the same hierarchy; returns {@code target}. */
    CgroupV1Manager renameTo(CgroupV1Manager target) {
        List<Path> done = new ArrayList<>();
        try {
            for (String controller : CONTROLLERS) {
                Path from = dirs.get(controller);
                if (from != null && !done.contains(from)) {
                    files.rename(from, target.dirs.get(controller));
                    done.add(from);
                }
            }
            return target;
        } catch (RuntimeException e) {
            for (String controller : CONTROLLERS) { // back, so the cgroup is whole under one name again
                Path from = dirs.get(controller);
                if (done.remove(from)) {
                    try {
                        files.rename(target.dirs.get(controller), from);
                    } catch (RuntimeException undo) {
                        e.addSuppressed(undo);
                    }
                }
            }
            throw e;
        }
    }

    @Override
    public boolean exists() {
        return distinctDirs().stream().anyMatch(files::exists);
    }

    @Override
    public Path path(String controller) {
        Path dir = dirs.get(controller);
        if (dir == null) {
            throw new IllegalArgumentException("cgroup " + relativePath + " has no " + controller + " directory");
        }
        return dir;
    }

    @Override
    public List<Path> directories() {
        return distinctDirs();
    }

    private List<Path> distinctDirs() {
        List<Path> distinct = new ArrayList<>();
        for (String controller : CONTROLLERS) {
            Path dir = dirs.get(controller);
            if (dir != null && !distinct.contains(dir)) {
                distinct.add(dir);
            }
        }
        return distinct;
    }

    private Path require(String controller, String field) {
        Path dir = dirs.get(controller);
        if (dir == null) {
            throw new CgroupException(field + ": the host has no v1 " + controller + " controller mounted");
        }
        return dir;
    }

    @Override
    public String toString() {
        return "cgroup v1 " + relativePath;
    }
}
