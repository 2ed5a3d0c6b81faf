package dev.jcontainers.linux.cgroup;

/**
 * Resource use read back from a container's cgroup. A value of {@code -1} means unknown (the kernel
 * does not provide it) or, for {@link #memoryLimit}, unlimited.
 *
 * @param memoryUsage    bytes charged now (v1 memory.usage_in_bytes, v2 memory.current)
 * @param memoryPeak     highest charge seen (v1 memory.max_usage_in_bytes, v2 memory.peak)
 * @param memoryLimit    the hard limit in bytes
 * @param cpuUsageNanos  cpu time used by all tasks, user plus system
 * @param pidsCurrent    tasks (processes and threads) in the cgroup
 * @param oomKills       processes killed by the OOM killer because of this cgroup's limit
 */
public record CgroupStats(long memoryUsage, long memoryPeak, long memoryLimit, long cpuUsageNanos,
                          long pidsCurrent, long oomKills) {
}
