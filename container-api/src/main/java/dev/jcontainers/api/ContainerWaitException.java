package dev.jcontainers.api;

import java.util.List;
import java.util.OptionalInt;

/**
 * A container did not get ready: it exited or turned unhealthy while awaited. The message names what was
 * awaited, the container's state and its last log lines, which are also available as values.
 */
public class ContainerWaitException extends ContainerException {
    private final String containerId;
    private final ContainerStatus status;
    private final Integer exitCode;
    private final List<String> lastLogLines;

    public ContainerWaitException(String message, String containerId, ContainerStatus status, Integer exitCode,
                                  List<String> lastLogLines) {
        super(message);
        this.containerId = containerId;
        this.status = status;
        this.exitCode = exitCode;
        this.lastLogLines = List.copyOf(lastLogLines);
    }

    public String containerId() {
        return containerId;
    }

    /** The container's state when the wait gave up. */
    public ContainerStatus status() {
        return status;
    }

    /** Its exit code, when it had exited. */
    public OptionalInt exitCode() {
        return exitCode == null ? OptionalInt.empty() : OptionalInt.of(exitCode);
    }

    /** Its last log lines, both streams, oldest first, without newlines. */
    public List<String> lastLogLines() {
        return lastLogLines;
    }
}
