package dev.jcontainers.api;

import java.util.List;

/** A container was not ready within the timeout; it may still be running. */
public final class ContainerWaitTimeoutException extends ContainerWaitException {
    public ContainerWaitTimeoutException(String message, String containerId, ContainerStatus status,
                                         Integer exitCode, List<String> lastLogLines) {
        super(message, containerId, status, exitCode, lastLogLines);
    }
}
