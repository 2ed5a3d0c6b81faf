package dev.jcontainers.api;

/**
 * A running container's resource use, read back from its cgroup ({@code docker stats}). A value of
 * {@code -1} means the kernel does not report it or, for {@link #memoryLimit}, that there is no limit.
 *
 * @param memoryUsage   bytes of memory charged to the container now
 * @param memoryPeak    the highest charge seen since the container started
 * @param memoryLimit   the hard memory limit in bytes
 * @param cpuUsageNanos cpu time used by all its processes since it started, user plus system
 * @param pidsCurrent   tasks (processes and threads) in the container now
 */
public record ContainerStats(long memoryUsage, long memoryPeak, long memoryLimit, long cpuUsageNanos,
                             long pidsCurrent) {
}
