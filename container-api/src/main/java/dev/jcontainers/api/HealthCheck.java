package dev.jcontainers.api;

import java.time.Duration;
import java.util.List;

/**
 * A container's health check, as Docker's {@code HEALTHCHECK} and {@code --health-*} flags. The engine runs
 * {@code test} as an exec in the running container every {@code interval} (measured from the end of the
 * previous probe), kills it after {@code timeout}, and counts a non-zero exit as a failure; failures during
 * {@code startPeriod} do not count, {@code retries} consecutive ones make the container unhealthy.
 *
 * <p>{@code test} is {@code ["CMD", exe, args...]} (exec form), {@code ["CMD-SHELL", command]} (run by
 * {@code /bin/sh -c}) or {@code ["NONE"]} (disabled, also the image's check). A null field takes the image's
 * value, then Docker's default: interval 30 s, timeout 30 s, start period 0, retries 3.
 */
public record HealthCheck(List<String> test, Duration interval, Duration timeout, Duration startPeriod,
                          Integer retries) {
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(30);
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
    public static final int DEFAULT_RETRIES = 3;

    /** No health check, not even the image's ({@code --no-healthcheck}). */
    public static final HealthCheck NONE = new HealthCheck(List.of("NONE"), null, null, null, null);

    public HealthCheck {
        if (test != null) {
            test = List.copyOf(test);
            String kind = test.isEmpty() ? "" : test.getFirst();
            boolean valid = switch (kind) {
                case "NONE" -> test.size() == 1;
                case "CMD" -> test.size() >= 2;
                case "CMD-SHELL" -> test.size() == 2 && !test.get(1).isBlank();
                default -> false;
            };
            if (!valid) {
                throw new IllegalArgumentException("a health check test is [\"CMD\", exe, args...], "
                        + "[\"CMD-SHELL\", command] or [\"NONE\"]: " + test);
            }
        }
        positive(interval, "interval");
        positive(timeout, "timeout");
        if (startPeriod != null && startPeriod.isNegative()) {
            throw new IllegalArgumentException("the health check start period must not be negative: " + startPeriod);
        }
        if (retries != null && retries < 1) {
            throw new IllegalArgumentException("the health check retries must be at least 1: " + retries);
        }
    }

    /** Exec form: the command runs without a shell ({@code HEALTHCHECK CMD ["exe", "arg"]}). */
    public static HealthCheck cmd(String... command) {
        return cmd(List.of(command));
    }

    public static HealthCheck cmd(List<String> command) {
        return new HealthCheck(java.util.stream.Stream.concat(java.util.stream.Stream.of("CMD"), command.stream())
                .toList(), null, null, null, null);
    }

    /** Shell form: {@code /bin/sh -c command} ({@code --health-cmd}). */
    public static HealthCheck shell(String command) {
        return new HealthCheck(List.of("CMD-SHELL", command), null, null, null, null);
    }

    /** Only timing: the image's test with these settings ({@code --health-interval} without {@code --health-cmd}). */
    public static HealthCheck imageTest() {
        return new HealthCheck(null, null, null, null, null);
    }

    public HealthCheck withInterval(Duration d) {
        return new HealthCheck(test, d, timeout, startPeriod, retries);
    }

    public HealthCheck withTimeout(Duration d) {
        return new HealthCheck(test, interval, d, startPeriod, retries);
    }

    public HealthCheck withStartPeriod(Duration d) {
        return new HealthCheck(test, interval, timeout, d, retries);
    }

    public HealthCheck withRetries(int n) {
        return new HealthCheck(test, interval, timeout, startPeriod, n);
    }

    /** True for {@code ["NONE"]}. */
    public boolean disabled() {
        return test != null && test.getFirst().equals("NONE");
    }

    private static void positive(Duration d, String what) {
        if (d != null && (d.isNegative() || d.isZero())) {
            throw new IllegalArgumentException("the health check " + what + " must be positive: " + d);
        }
    }
}
