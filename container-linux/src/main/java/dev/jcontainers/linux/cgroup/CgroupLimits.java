package dev.jcontainers.linux.cgroup;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Resource limits of one container cgroup, in Docker's units whatever the cgroup version. An empty
 * field leaves the kernel's current value alone (so the same type serves create and update);
 * {@link #UNLIMITED} removes a limit.
 *
 * @param memory            hard memory limit in bytes
 * @param memoryReservation soft limit in bytes (v1 memory.soft_limit_in_bytes, v2 memory.low)
 * @param memorySwap        memory plus swap in bytes, as Docker's {@code --memory-swap}; must be at least {@code memory}
 * @param cpus              cpu time as a fraction of one cpu per 100 ms period; 0 removes the quota
 * @param cpuShares         relative cpu weight in v1 shares (2..262144, default 1024); converted to cpu.weight on v2
 * @param cpusetCpus        cpus the tasks may run on, e.g. {@code 0-2,4}
 * @param cpusetMems        memory nodes the tasks may allocate on
 * @param pidsLimit         maximum number of tasks
 * @param blkioWeight       relative block I/O weight in v1 units (10..1000); converted to io.weight on v2
 * @param readBps           per-device read throttles in bytes per second
 * @param writeBps          per-device write throttles in bytes per second
 * @param readIops          per-device read throttles in operations per second
 * @param writeIops         per-device write throttles in operations per second
 */
public record CgroupLimits(OptionalLong memory, OptionalLong memoryReservation, OptionalLong memorySwap,
                           OptionalDouble cpus, OptionalLong cpuShares,
                           Optional<String> cpusetCpus, Optional<String> cpusetMems,
                           OptionalLong pidsLimit, OptionalInt blkioWeight,
                           List<DeviceRate> readBps, List<DeviceRate> writeBps,
                           List<DeviceRate> readIops, List<DeviceRate> writeIops) {

    /** Value of a memory, swap, reservation or pids limit that means "no limit". */
    public static final long UNLIMITED = -1;

    /** The CFS period every quota is expressed in, 100 ms as Docker and runc use. */
    public static final long CPU_PERIOD_US = 100_000;

    private static final Pattern CPU_LIST = Pattern.compile("(\\d+)(?:-(\\d+))?");

    public CgroupLimits {
        memory.ifPresent(v -> requireLimit("memory", v, 1));
        memoryReservation.ifPresent(v -> requireLimit("memoryReservation", v, 0));
        memorySwap.ifPresent(v -> {
            requireLimit("memorySwap", v, 1);
            long mem = memory.orElse(UNLIMITED);
            if (v != UNLIMITED && mem != UNLIMITED && v < mem) {
                throw new InvalidCgroupLimitException("memorySwap",
                        "memory plus swap (" + v + ") must be at least the memory limit (" + mem + ")");
            }
            if (v != UNLIMITED && memory.isPresent() && mem == UNLIMITED) {
                throw new InvalidCgroupLimitException("memorySwap", "a finite swap limit needs a finite memory limit");
            }
        });
        cpus.ifPresent(v -> {
            // the kernel refuses quotas under 1 ms; 0 means "no quota"
            if (!(v == 0 || (v >= 0.01 && v <= 100_000))) { // also refuses NaN
                throw new InvalidCgroupLimitException("cpus", v + " is not 0 or in [0.01, 100000]");
            }
        });
        cpuShares.ifPresent(v -> {
            if (v < 2 || v > 262_144) {
                throw new InvalidCgroupLimitException("cpuShares", v + " is not in [2, 262144]");
            }
        });
        cpusetCpus.ifPresent(v -> requireCpuList("cpusetCpus", v));
        cpusetMems.ifPresent(v -> requireCpuList("cpusetMems", v));
        pidsLimit.ifPresent(v -> requireLimit("pidsLimit", v, 1));
        blkioWeight.ifPresent(v -> {
            if (v < 10 || v > 1000) {
                throw new InvalidCgroupLimitException("blkioWeight", v + " is not in [10, 1000]");
            }
        });
        readBps = List.copyOf(readBps);
        writeBps = List.copyOf(writeBps);
        readIops = List.copyOf(readIops);
        writeIops = List.copyOf(writeIops);
    }

    /** No limits: a cgroup for accounting only. */
    public static CgroupLimits none() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The v1 CFS quota for {@link #cpus}, or -1 for none. */
    static long cpuQuotaUs(double cpus) {
        return cpus == 0 ? -1 : Math.max(1000, Math.round(cpus * CPU_PERIOD_US));
    }

    boolean hasDeviceRates() {
        return !readBps.isEmpty() || !writeBps.isEmpty() || !readIops.isEmpty() || !writeIops.isEmpty();
    }

    private static void requireLimit(String field, long value, long min) {
        if (value != UNLIMITED && value < min) {
            throw new InvalidCgroupLimitException(field, value + " is neither UNLIMITED (-1) nor at least " + min);
        }
    }

    private static void requireCpuList(String field, String list) {
        if (list.isEmpty()) {
            throw new InvalidCgroupLimitException(field, "empty list");
        }
        for (String part : list.split(",", -1)) {
            Matcher m = CPU_LIST.matcher(part);
            if (!m.matches()) {
                throw new InvalidCgroupLimitException(field, "\"" + list + "\" is not a list like 0-3,5");
            }
            if (m.group(2) != null && Long.parseLong(m.group(2)) < Long.parseLong(m.group(1))) {
                throw new InvalidCgroupLimitException(field, "descending range " + part + " in \"" + list + "\"");
            }
        }
    }

    public static final class Builder {
        private OptionalLong memory = OptionalLong.empty();
        private OptionalLong memoryReservation = OptionalLong.empty();
        private OptionalLong memorySwap = OptionalLong.empty();
        private OptionalDouble cpus = OptionalDouble.empty();
        private OptionalLong cpuShares = OptionalLong.empty();
        private Optional<String> cpusetCpus = Optional.empty();
        private Optional<String> cpusetMems = Optional.empty();
        private OptionalLong pidsLimit = OptionalLong.empty();
        private OptionalInt blkioWeight = OptionalInt.empty();
        private final List<DeviceRate> readBps = new ArrayList<>();
        private final List<DeviceRate> writeBps = new ArrayList<>();
        private final List<DeviceRate> readIops = new ArrayList<>();
        private final List<DeviceRate> writeIops = new ArrayList<>();

        private Builder() {
        }

        public Builder memory(long bytes) {
            memory = OptionalLong.of(bytes);
            return this;
        }

        public Builder memoryReservation(long bytes) {
            memoryReservation = OptionalLong.of(bytes);
            return this;
        }

        public Builder memorySwap(long memoryPlusSwapBytes) {
            memorySwap = OptionalLong.of(memoryPlusSwapBytes);
            return this;
        }

        public Builder cpus(double cpus) {
            this.cpus = OptionalDouble.of(cpus);
            return this;
        }

        public Builder cpuShares(long shares) {
            cpuShares = OptionalLong.of(shares);
            return this;
        }

        public Builder cpusetCpus(String cpus) {
            cpusetCpus = Optional.of(cpus);
            return this;
        }

        public Builder cpusetMems(String mems) {
            cpusetMems = Optional.of(mems);
            return this;
        }

        public Builder pidsLimit(long max) {
            pidsLimit = OptionalLong.of(max);
            return this;
        }

        public Builder blkioWeight(int weight) {
            blkioWeight = OptionalInt.of(weight);
            return this;
        }

        public Builder deviceReadBps(DeviceRate rate) {
            readBps.add(rate);
            return this;
        }

        public Builder deviceWriteBps(DeviceRate rate) {
            writeBps.add(rate);
            return this;
        }

        public Builder deviceReadIops(DeviceRate rate) {
            readIops.add(rate);
            return this;
        }

        public Builder deviceWriteIops(DeviceRate rate) {
            writeIops.add(rate);
            return this;
        }

        public CgroupLimits build() {
            return new CgroupLimits(memory, memoryReservation, memorySwap, cpus, cpuShares, cpusetCpus, cpusetMems,
                    pidsLimit, blkioWeight, readBps, writeBps, readIops, writeIops);
        }
    }
}
