package dev.jcontainers.api;

import java.time.Duration;

/** A wait ran out of time; the container is still running. */
public final class WaitTimeoutException extends ContainerException {
    public WaitTimeoutException(String what, Duration timeout) {
        super(what + " did not finish within " + timeout);
    }
}
