package dev.jcontainers.api;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What {@code docker inspect} shows about a container's identity and state. {@code health} is null when the
 * container has no health check or has never been started. {@code restartCount} counts the restarts its
 * monitor made since it was last started by a user.
 */
public record ContainerInfo(
        String id,
        String name,
        String image,
        String imageId,
        List<String> command,
        Instant created,
        ContainerStatus status,
        long pid,
        Integer exitCode,
        boolean oomKilled,
        Instant startedAt,
        Instant finishedAt,
        String hostname,
        Map<String, String> labels,
        boolean detached,
        HealthStatus health,
        RestartPolicy restartPolicy,
        int restartCount) {

    public ContainerInfo {
        restartPolicy = restartPolicy == null ? RestartPolicy.NO : restartPolicy;
        command = command == null ? List.of() : List.copyOf(command);
        labels = labels == null ? Map.of() : Map.copyOf(labels);
    }

    /** Without health: a container that has no health check. */
    public ContainerInfo(String id, String name, String image, String imageId, List<String> command,
                         Instant created, ContainerStatus status, long pid, Integer exitCode, boolean oomKilled,
                         Instant startedAt, Instant finishedAt, String hostname, Map<String, String> labels,
                         boolean detached) {
        this(id, name, image, imageId, command, created, status, pid, exitCode, oomKilled, startedAt, finishedAt,
                hostname, labels, detached, null);
    }

    /** Without a restart policy. */
    public ContainerInfo(String id, String name, String image, String imageId, List<String> command,
                         Instant created, ContainerStatus status, long pid, Integer exitCode, boolean oomKilled,
                         Instant startedAt, Instant finishedAt, String hostname, Map<String, String> labels,
                         boolean detached, HealthStatus health) {
        this(id, name, image, imageId, command, created, status, pid, exitCode, oomKilled, startedAt, finishedAt,
                hostname, labels, detached, health, RestartPolicy.NO, 0);
    }

    public String shortId() {
        return id.substring(0, Math.min(12, id.length()));
    }
}
