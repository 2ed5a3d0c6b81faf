package dev.jcontainers.core.container;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import dev.jcontainers.api.ContainerStatus;
import dev.jcontainers.api.RestartPolicy;

import java.util.List;
import java.util.Map;

/**
 * A container's identity, settings and last known state: {@code containers/<id>/container.json}. It is
 * what lets another JVM (or this one after a restart) list, wait for, stop and remove the container.
 * Times are RFC 3339 strings; pid and monitorPid are host PIDs (0 when not running). {@code restartPolicy} is
 * Docker's syntax, null for none. With a policy the monitor may replace the process: its {@code restart.json}
 * has the current pid, and {@link #withPid} gives the record with it.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ContainerRecord(
        String id,
        String name,
        String image,
        String imageId,
        String created,
        List<String> args,
        String hostname,
        Map<String, String> labels,
        boolean detached,
        boolean autoRemove,
        String stopSignal,
        long stopTimeoutSeconds,
        ContainerStatus status,
        long pid,
        long monitorPid,
        String startedAt,
        String finishedAt,
        Integer exitCode,
        boolean oomKilled,
        List<String> layers,
        long ownerPid,
        String ownerStarted,
        String restartPolicy) {

    public ContainerRecord detached(boolean newDetached) {
        return new ContainerRecord(id, name, image, imageId, created, args, hostname, labels, newDetached, autoRemove,
                stopSignal, stopTimeoutSeconds, status, pid, monitorPid, startedAt, finishedAt, exitCode, oomKilled,
                layers, ownerPid, ownerStarted, restartPolicy);
    }

    public ContainerRecord started(long newPid, long newMonitorPid, String at) {
        return new ContainerRecord(id, name, image, imageId, created, args, hostname, labels, detached, autoRemove,
                stopSignal, stopTimeoutSeconds, ContainerStatus.RUNNING, newPid, newMonitorPid, at, null, null, false, layers, ownerPid, ownerStarted, restartPolicy);
    }

    public ContainerRecord withPid(long newPid) {
        return new ContainerRecord(id, name, image, imageId, created, args, hostname, labels, detached, autoRemove,
                stopSignal, stopTimeoutSeconds, status, newPid, monitorPid, startedAt, finishedAt, exitCode, oomKilled,
                layers, ownerPid, ownerStarted, restartPolicy);
    }

    public RestartPolicy restart() {
        return restartPolicy == null ? RestartPolicy.NO : RestartPolicy.parse(restartPolicy);
    }

    public ContainerRecord exited(int code, boolean oom, String at) {
        return new ContainerRecord(id, name, image, imageId, created, args, hostname, labels, detached, autoRemove,
                stopSignal, stopTimeoutSeconds, code < 0 ? ContainerStatus.DEAD : ContainerStatus.EXITED, 0, 0, startedAt, at, code, oom, layers, ownerPid,
                ownerStarted, restartPolicy);
    }
}
