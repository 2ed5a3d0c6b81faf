package dev.jcontainers.api;

import java.util.Locale;
import java.util.Objects;

/**
 * What happens when a container's process exits, as {@code docker run --restart}: {@code no},
 * {@code on-failure[:N]} (after a non-zero exit, at most N times; no N: no limit), {@code always}, or
 * {@code unless-stopped}. The container's monitor carries the policy out itself, so a detached container is
 * restarted with no JVM running. Restarts wait 100 ms, doubling up to a minute, back to 100 ms once a run
 * lasted 10 s. A stop or kill by the user (its stop signal or SIGKILL) ends the container for good.
 *
 * <p>{@code always} and {@code unless-stopped} differ in Docker only when its daemon starts: {@code always}
 * then starts containers a user had stopped. There is no daemon here and nothing starts containers on its own
 * (not even at boot), so the two behave the same.
 */
public record RestartPolicy(Mode mode, int maximumRetryCount) {
    public enum Mode {
        NO, ON_FAILURE, ALWAYS, UNLESS_STOPPED;

        /** Docker's name: {@code no}, {@code on-failure}, {@code always}, {@code unless-stopped}. */
        public String dockerName() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    public static final RestartPolicy NO = new RestartPolicy(Mode.NO, 0);

    public RestartPolicy {
        Objects.requireNonNull(mode, "mode");
        if (maximumRetryCount < 0) {
            throw new IllegalArgumentException("invalid restart policy: maximum retry count must be a positive integer");
        }
        if (maximumRetryCount > 0 && mode != Mode.ON_FAILURE) {
            throw new IllegalArgumentException("invalid restart policy: maximum retry count can only be used with"
                    + " 'on-failure'");
        }
    }

    /** Restarts after a non-zero exit, at most {@code maxRetries} times (0: no limit). */
    public static RestartPolicy onFailure(int maxRetries) {
        return new RestartPolicy(Mode.ON_FAILURE, maxRetries);
    }

    public static RestartPolicy always() {
        return new RestartPolicy(Mode.ALWAYS, 0);
    }

    public static RestartPolicy unlessStopped() {
        return new RestartPolicy(Mode.UNLESS_STOPPED, 0);
    }

    /** Docker's syntax: {@code no}, {@code on-failure}, {@code on-failure:3}, {@code always}, {@code unless-stopped}. */
    public static RestartPolicy parse(String text) {
        String[] parts = text.split(":", -1);
        if (parts.length > 2) {
            throw new IllegalArgumentException("invalid restart policy format: " + text);
        }
        Mode mode = switch (parts[0]) {
            case "no", "" -> Mode.NO;
            case "on-failure" -> Mode.ON_FAILURE;
            case "always" -> Mode.ALWAYS;
            case "unless-stopped" -> Mode.UNLESS_STOPPED;
            default -> throw new IllegalArgumentException("invalid restart policy: unknown policy '" + parts[0]
                    + "'; use one of 'no', 'always', 'on-failure', or 'unless-stopped'");
        };
        if (parts.length == 1) {
            return new RestartPolicy(mode, 0);
        }
        try {
            return new RestartPolicy(mode, Integer.parseInt(parts[1]));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("invalid restart policy: maximum retry count must be an integer: "
                    + parts[1], e);
        }
    }

    public boolean restarts() {
        return mode != Mode.NO;
    }

    /** Docker's syntax, as {@link #parse} reads it. */
    @Override
    public String toString() {
        return maximumRetryCount > 0 ? mode.dockerName() + ":" + maximumRetryCount : mode.dockerName();
    }
}
