package dev.jcontainers.linux.cgroup;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;

/** A container cgroup on the unified (v2) hierarchy: one directory, controllers enabled by its ancestors. */
final class CgroupV2Manager implements CgroupManager {

    /** Controllers enabled for our subtree when the host offers them. */
    static final List<String> CONTROLLERS = List.of("cpuset", "cpu", "io", "memory", "pids");

    private final ControlFiles files;
    private final Path dir;
    private final String relativePath;

    CgroupV2Manager(ControlFiles files, Path dir, String relativePath) {
        this.files = files;
        this.dir = dir;
        this.relativePath = relativePath;
    }

    static CgroupV2Manager create(ControlFiles files, Path root, String[] parent, String relativePath,
                                  CgroupLimits limits) {
        Path dir = root;
        enableControllers(files, dir);
        for (String segment : parent) {
            dir = dir.resolve(segment);
            files.mkdir(dir);
            enableControllers(files, dir);
        }
        Path own = root.resolve(relativePath);
        if (!files.mkdir(own)) {
            throw new CgroupException("cgroup " + own + " exists already");
        }
        CgroupV2Manager manager = new CgroupV2Manager(files, own, relativePath);
        try {
            manager.update(limits);
            return manager;
        } catch (RuntimeException e) {
            try {
                files.removeDir(own, Duration.ZERO);
            } catch (CgroupException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
    }

    /**
     * Makes our controllers available to {@code dir}'s children. Only missing ones are written, one per
     * write so a refusal names the controller; on the host's root this is the one write outside our tree.
     */
    private static void enableControllers(ControlFiles files, Path dir) {
        Set<String> available = Set.of(files.read(dir, "cgroup.controllers").split("\\s+"));
        Set<String> enabled = Set.of(files.read(dir, "cgroup.subtree_control").split("\\s+"));
        for (String controller : CONTROLLERS) {
            if (available.contains(controller) && !enabled.contains(controller)) {
                files.write(dir, "cgroup.subtree_control", "+" + controller);
            }
        }
    }

    /** cpu.weight (1..10000) for v1 cpu.shares (2..262144), the mapping runc and crun use. */
    static long sharesToWeight(long shares) {
        return 1 + ((shares - 2) * 9999) / 262142;
    }

    /** io.weight (1..10000) for v1 blkio.weight (10..1000), the mapping runc and crun use. */
    static long blkioToIoWeight(long weight) {
        return 1 + ((weight - 10) * 9999) / 990;
    }

    @Override
    public CgroupVersion version() {
        return CgroupVersion.V2;
    }

    @Override
    public String relativePath() {
        return relativePath;
    }

    @Override
    public void addProcess(long pid) {
        files.write(dir, "cgroup.procs", Long.toString(pid));
    }

    @Override
    public void update(CgroupLimits limits) {
        limits.memoryReservation().ifPresent(bytes -> write("memory", "memory.low", limitValue(bytes)));
        limits.memory().ifPresent(bytes -> write("memory", "memory.max", limitValue(bytes)));
        limits.memorySwap().ifPresent(this::applySwap);
        limits.cpus().ifPresent(cpus -> {
            long quota = CgroupLimits.cpuQuotaUs(cpus);
            write("cpu", "cpu.max", (quota < 0 ? "max" : Long.toString(quota)) + " " + CgroupLimits.CPU_PERIOD_US);
        });
        limits.cpuShares().ifPresent(shares -> write("cpu", "cpu.weight", Long.toString(sharesToWeight(shares))));
        limits.cpusetCpus().ifPresent(cpus -> write("cpuset", "cpuset.cpus", cpus));
        limits.cpusetMems().ifPresent(mems -> write("cpuset", "cpuset.mems", mems));
        limits.pidsLimit().ifPresent(max -> write("pids", "pids.max", limitValue(max)));
        limits.blkioWeight().ifPresent(weight -> {
            if (files.has(dir, "io.weight")) {
                write("io", "io.weight", "default " + blkioToIoWeight(weight));
            } else {
                // without io.weight (no io cost model) BFQ's knob takes the v1 range as it is
                write("io", "io.bfq.weight", Integer.toString(weight));
            }
        });
        if (limits.hasDeviceRates()) {
            applyIoMax(limits);
        }
    }

    /** v2 limits swap alone (memory.swap.max) where Docker's value is memory plus swap. */
    private void applySwap(long memoryPlusSwap) {
        if (memoryPlusSwap == CgroupLimits.UNLIMITED) {
            if (files.has(dir, "memory.swap.max")) {
                write("memory", "memory.swap.max", "max");
            }
            return;
        }
        long memory = files.readLimit(dir, "memory.max");
        if (memory < 0) {
            throw new CgroupException("memorySwap: a swap limit needs a memory limit on " + dir);
        }
        write("memory", "memory.swap.max", Long.toString(memoryPlusSwap - memory));
    }

    /** One io.max line per device with the keys given for it; a rate of 0 lifts that key ("max"). */
    private void applyIoMax(CgroupLimits limits) {
        Map<String, StringJoiner> lines = new LinkedHashMap<>();
        addRates(lines, "rbps", limits.readBps());
        addRates(lines, "wbps", limits.writeBps());
        addRates(lines, "riops", limits.readIops());
        addRates(lines, "wiops", limits.writeIops());
        lines.forEach((device, keys) -> write("io", "io.max", device + " " + keys));
    }

    private static void addRates(Map<String, StringJoiner> lines, String key, List<DeviceRate> rates) {
        for (DeviceRate rate : rates) {
            lines.computeIfAbsent(rate.device(), d -> new StringJoiner(" "))
                    .add(key + "=" + (rate.rate() == 0 ? "max" : Long.toString(rate.rate())));
        }
    }

    private void write(String controller, String file, String value) {
        if (!files.has(dir, file)) {
            throw new CgroupException(file + ": controller " + controller + " is not enabled for " + dir
                    + " (enabled: " + files.read(dir, "cgroup.controllers") + ")");
        }
        files.write(dir, file, value);
    }

    private static String limitValue(long value) {
        return value == CgroupLimits.UNLIMITED ? "max" : Long.toString(value);
    }

    @Override
    public CgroupStats stats() {
        Map<String, Long> cpu = files.readKeyed(dir, "cpu.stat");
        long usageUsec = cpu.getOrDefault("usage_usec", -1L);
        return new CgroupStats(
                files.readLimit(dir, "memory.current"),
                files.readLimit(dir, "memory.peak"),
                files.readLimit(dir, "memory.max"),
                usageUsec < 0 ? -1 : usageUsec * 1000,
                files.readLimit(dir, "pids.current"),
                oomKills());
    }

    private long oomKills() {
        return files.readKeyed(dir, "memory.events").getOrDefault("oom_kill", -1L);
    }

    @Override
    public boolean oomKilled() {
        return oomKills() > 0;
    }

    @Override
    public List<Long> processes() {
        return files.pids(dir);
    }

    @Override
    public void freeze() {
        if (!files.has(dir, "cgroup.freeze")) {
            throw new CgroupException("pause: " + dir + " has no cgroup.freeze (kernel 5.2+ needed)");
        }
        files.write(dir, "cgroup.freeze", "1");
        long deadline = System.nanoTime() + DEFAULT_TIMEOUT.toNanos();
        while (!frozen()) {
            if (System.nanoTime() - deadline > 0) {
                files.write(dir, "cgroup.freeze", "0");
                throw new CgroupException("cgroup " + dir + " did not freeze within " + DEFAULT_TIMEOUT);
            }
            ControlFiles.sleep(1);
        }
    }

    @Override
    public void thaw() {
        if (files.has(dir, "cgroup.freeze")) {
            files.write(dir, "cgroup.freeze", "0");
        }
    }

    @Override
    public boolean frozen() {
        try {
            return files.exists(dir) && files.has(dir, "cgroup.events")
                    && files.readKeyed(dir, "cgroup.events").getOrDefault("frozen", 0L) == 1L;
        } catch (CgroupException e) {
            if (files.exists(dir)) {
                throw e;
            }
            return false; // removed meanwhile: an exited container is not paused
        }
    }

    /** cgroup.kill (kernel 5.14+) kills atomically; older kernels: freeze, SIGKILL each, thaw. */
    @Override
    public void killAll() {
        try {
            killPresent();
        } catch (CgroupException e) {
            if (files.exists(dir)) {
                throw e;
            }
            // emptied and removed meanwhile by another owner of this cgroup: nothing is left to kill
        }
    }

    private void killPresent() {
        if (!files.exists(dir)) {
            return;
        }
        if (files.has(dir, "cgroup.kill")) {
            files.write(dir, "cgroup.kill", "1");
        } else {
            long deadline = System.nanoTime() + DEFAULT_TIMEOUT.toNanos();
            files.write(dir, "cgroup.freeze", "1");
            try {
                while (files.readKeyed(dir, "cgroup.events").getOrDefault("frozen", 1L) != 1L) {
                    if (System.nanoTime() - deadline > 0) {
                        throw new CgroupException("cgroup " + dir + " did not freeze within " + DEFAULT_TIMEOUT);
                    }
                    ControlFiles.sleep(1);
                }
                files.pids(dir).forEach(ControlFiles::sigkill);
            } finally {
                files.write(dir, "cgroup.freeze", "0");
            }
        }
        if (!files.awaitEmpty(dir, DEFAULT_TIMEOUT)) {
            throw new CgroupException("processes " + files.pids(dir) + " in " + dir + " survived SIGKILL");
        }
    }

    @Override
    public void destroy(Duration timeout) {
        files.removeDir(dir, timeout);
    }

    @Override
    public List<Path> directories() {
        return List.of(dir);
    }

    @Override
    public boolean exists() {
        return files.exists(dir);
    }

    @Override
    public Path path(String controller) {
        if (!CONTROLLERS.contains(controller) && !controller.isEmpty()) {
            throw new IllegalArgumentException("cgroup v2 has no controller named " + controller);
        }
        return dir;
    }

    @Override
    public String toString() {
        return "cgroup v2 " + relativePath;
    }
}
