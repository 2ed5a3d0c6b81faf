package dev.jcontainers.core.container;

import dev.jcontainers.api.Container;
import dev.jcontainers.api.ContainerInfo;
import dev.jcontainers.api.ContainerLogs;
import dev.jcontainers.api.ContainerStats;
import dev.jcontainers.api.ContainerStatus;
import dev.jcontainers.api.ExecOptions;
import dev.jcontainers.api.ExecResult;

import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;

/** A handle on one container of a {@link ContainerService}; holds no state of its own. */
final class LocalContainer implements Container {
    private final ContainerService service;
    private final String id;
    private final String name;

    LocalContainer(ContainerService service, String id, String name) {
        this.service = service;
        this.id = id;
        this.name = name;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Container start() {
        service.start(id);
        return this;
    }

    @Override
    public int waitFor() {
        return service.waitFor(id, null);
    }

    @Override
    public int waitFor(Duration timeout) {
        return service.waitFor(id, timeout);
    }

    @Override
    public void stop() {
        service.stop(id, null);
    }

    @Override
    public void stop(Duration timeout) {
        service.stop(id, timeout);
    }

    @Override
    public void kill() {
        service.kill(id, "KILL");
    }

    @Override
    public void kill(String signal) {
        service.kill(id, signal);
    }

    @Override
    public void pause() {
        service.pause(id);
    }

    @Override
    public void unpause() {
        service.unpause(id);
    }

    @Override
    public List<dev.jcontainers.api.ProcessInfo> top() {
        return service.top(id);
    }

    @Override
    public void remove(boolean force, boolean removeVolumes) {
        service.remove(id, force, removeVolumes);
    }

    @Override
    public void detach() {
        service.detach(id);
    }

    @Override
    public void waitForHealthy(Duration timeout) {
        service.waitForHealthy(id, timeout);
    }

    @Override
    public void waitUntil(dev.jcontainers.api.WaitStrategy strategy, Duration timeout) {
        ReadinessWait.await(service, this, strategy, timeout);
    }

    @Override
    public ContainerStatus status() {
        return service.status(id);
    }

    @Override
    public OptionalInt exitCode() {
        Integer code = service.inspect(id).exitCode();
        return code == null ? OptionalInt.empty() : OptionalInt.of(code);
    }

    @Override
    public ContainerInfo inspect() {
        return service.inspect(id);
    }

    @Override
    public ContainerLogs logs() {
        return service.logs(id);
    }

    @Override
    public ContainerStats stats() {
        return service.stats(id);
    }

    @Override
    public java.util.List<dev.jcontainers.api.FileChange> diff() {
        return service.diff(id);
    }

    @Override
    public dev.jcontainers.api.ImageSummary commit(String reference, String createdBy) {
        return service.commit(id, reference, createdBy);
    }

    @Override
    public void copyTo(java.nio.file.Path hostPath, String containerPath, boolean keepOwnership) {
        service.copyTo(id, hostPath, containerPath, keepOwnership);
    }

    @Override
    public void copyFrom(String containerPath, java.nio.file.Path hostPath, boolean keepOwnership) {
        service.copyFrom(id, containerPath, hostPath, keepOwnership);
    }

    @Override
    public void copyFrom(String containerPath, java.io.OutputStream tar) {
        service.copyFrom(id, containerPath, tar);
    }

    @Override
    public void copyTo(java.io.InputStream tar, String dir, boolean keepOwnership) {
        service.copyTo(id, tar, dir, keepOwnership);
    }

    @Override
    public dev.jcontainers.api.AttachedProcess startAttached(int rows, int cols) {
        return service.startAttached(id, new dev.jcontainers.linux.launch.LaunchPlan.TerminalSize(rows, cols));
    }

    @Override
    public dev.jcontainers.api.AttachedProcess execAttached(ExecOptions options, String... command) {
        return service.execAttached(id, options, List.of(command));
    }

    @Override
    public ExecResult exec(String... command) {
        return exec(ExecOptions.defaults(), command);
    }

    @Override
    public ExecResult exec(ExecOptions options, String... command) {
        return service.exec(id, options, List.of(command));
    }

    @Override
    public void close() {
        service.remove(id, true, true);
    }

    @Override
    public String toString() {
        return "Container[" + name + " " + id.substring(0, 12) + "]";
    }

    @Override
    public void connect(String network, List<String> aliases) {
        service.connect(id, network, aliases);
    }

    @Override
    public void disconnect(String network) {
        service.disconnect(id, network);
    }
}
