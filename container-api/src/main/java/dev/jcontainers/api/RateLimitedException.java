package dev.jcontainers.api;

import java.time.Duration;
import java.util.Optional;

/** HTTP 429: the registry asks us to slow down; {@link #retryAfter()} is its Retry-After, if it sent one. */
public final class RateLimitedException extends RegistryException {
    private final Duration retryAfter;

    public RateLimitedException(String registry, String message, Duration retryAfter) {
        super(registry, 429, message);
        this.retryAfter = retryAfter;
    }

    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
