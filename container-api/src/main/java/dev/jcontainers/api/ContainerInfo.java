package dev.jcontainers.api;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What {@code docker inspect} shows about a container's identity and state. {@code health} is null when the
 * container has no health check or has never been started. {@code restartCount} counts the restarts its
 * monitor made since it was last started by a user. {@code ports}: its published ports; while it
 * runs with the host port actually mapped (a free one when 0 was asked for), otherwise as asked for.
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
        int restartCount,
        List<PortBinding> ports) {

    public ContainerInfo {
        restartPolicy = restartPolicy == null ? RestartPolicy.NO : restartPolicy;
        command = command == null ? List.of() : List.copyOf(command);
        labels = labels == null ? Map.of() : Map.copyOf(labels);
        ports = ports == null ? List.of() : List.copyOf(ports);
    }

    /** Without health: a container that has no health check. */
    public ContainerInfo(String id, String name, String image, String imageId, List<String> command,
                         Instant created, ContainerStatus status, long pid, Integer exitCode, boolean oomKilled,
                         Instant startedAt, Instant finishedAt, String hostname, Map<String, String> labels,
                         boolean detached) {
        this(id, name, image, imageId, command, created, status, pid, exitCode, oomKilled, startedAt, finishedAt,
                hostname, labels, detached, null);
    }

    /** Without a restart policy or published ports. */
    public ContainerInfo(String id, String name, String image, String imageId, List<String> command,
                         Instant created, ContainerStatus status, long pid, Integer exitCode, boolean oomKilled,
                         Instant startedAt, Instant finishedAt, String hostname, Map<String, String> labels,
                         boolean detached, HealthStatus health) {
        this(id, name, image, imageId, command, created, status, pid, exitCode, oomKilled, startedAt, finishedAt,
                hostname, labels, detached, health, RestartPolicy.NO, 0, List.of());
    }

    /** Without published ports. */
    public ContainerInfo(String id, String name, String image, String imageId, List<String> command,
                         Instant created, ContainerStatus status, long pid, Integer exitCode, boolean oomKilled,
                         Instant startedAt, Instant finishedAt, String hostname, Map<String, String> labels,
                         boolean detached, HealthStatus health, RestartPolicy restartPolicy, int restartCount) {
        this(id, name, image, imageId, command, created, status, pid, exitCode, oomKilled, startedAt, finishedAt,
                hostname, labels, detached, health, restartPolicy, restartCount, List.of());
    }

    /** The host port that {@code containerPort}/{@code protocol} is published on, if it is. */
    public java.util.Optional<PortBinding> port(int containerPort, String protocol) {
        return ports.stream().filter(p -> p.containerPort() == containerPort && p.protocol().equals(protocol)).findFirst();
    }

    public String shortId() {
        return id.substring(0, Math.min(12, id.length()));
    }
}
