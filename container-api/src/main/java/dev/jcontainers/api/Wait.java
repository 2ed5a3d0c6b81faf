package dev.jcontainers.api;

import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Readiness conditions for test frameworks, in the shape of Testcontainers' {@code Wait}:
 *
 * <pre>{@code
 * container.waitUntil(Wait.forLogLine("listening on"), Duration.ofSeconds(30));
 * builder.waitingFor(Wait.all(Wait.forPort(8080), Wait.forHealthy()))
 * }</pre>
 *
 * A wait fails at once, with {@link ContainerWaitException}, when the container exits before it is ready
 * (except for {@link #forExit()}) or turns unhealthy; it fails with {@link ContainerWaitTimeoutException}
 * when the timeout passes first. Both messages carry the container's state and its last log lines.
 */
public final class Wait {
    private Wait() {
    }

    /** A line of stdout or stderr in which {@code regex} is found ({@link java.util.regex.Matcher#find()}). */
    public static ForLogLine forLogLine(String regex) {
        return new ForLogLine(regex, 1, null);
    }

    /** A TCP connection to {@code port} on the container's loopback, made from inside its network namespace. */
    public static ForPort forPort(int port) {
        return new ForPort(port);
    }

    /** The container's health check reports healthy. */
    public static ForHealthy forHealthy() {
        return new ForHealthy();
    }

    /** The container has exited, with any code. */
    public static ForExit forExit() {
        return new ForExit();
    }

    /** Each strategy in turn, sharing one timeout. */
    public static All all(WaitStrategy... strategies) {
        return new All(List.of(strategies));
    }

    /** A condition of the caller's own, checked every few milliseconds while the container runs. */
    public static Until until(String description, Predicate<Container> condition) {
        return new Until(description, condition);
    }

    /**
     * @param regex  searched for in each line (without its newline)
     * @param times  how many matching lines to wait for
     * @param stream only this stream; null for both
     */
    public record ForLogLine(String regex, int times, LogLine.Stream stream) implements WaitStrategy {
        public ForLogLine {
            Pattern.compile(Objects.requireNonNull(regex, "regex"));
            if (times < 1) {
                throw new IllegalArgumentException("a log line must be awaited at least once: " + times);
            }
        }

        /** Waits for the {@code n}th matching line. */
        public ForLogLine times(int n) {
            return new ForLogLine(regex, n, stream);
        }

        public ForLogLine onStdout() {
            return new ForLogLine(regex, times, LogLine.Stream.STDOUT);
        }

        public ForLogLine onStderr() {
            return new ForLogLine(regex, times, LogLine.Stream.STDERR);
        }

        public Pattern pattern() {
            return Pattern.compile(regex);
        }

        @Override
        public String description() {
            return "log line matching '" + regex + "'" + (times > 1 ? " " + times + " times" : "")
                    + (stream == null ? "" : " on " + stream.name().toLowerCase(java.util.Locale.ROOT));
        }
    }

    public record ForPort(int port) implements WaitStrategy {
        public ForPort {
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("port must be between 1 and 65535: " + port);
            }
        }

        @Override
        public String description() {
            return "port " + port + " to accept connections";
        }
    }

    public record ForHealthy() implements WaitStrategy {
        @Override
        public String description() {
            return "healthy";
        }
    }

    public record ForExit() implements WaitStrategy {
        @Override
        public String description() {
            return "exit";
        }
    }

    public record All(List<WaitStrategy> strategies) implements WaitStrategy {
        public All {
            strategies = List.copyOf(strategies);
            if (strategies.isEmpty()) {
                throw new IllegalArgumentException("Wait.all needs at least one strategy");
            }
        }

        @Override
        public String description() {
            return strategies.stream().map(WaitStrategy::description)
                    .collect(java.util.stream.Collectors.joining(", then "));
        }
    }

    public record Until(String description, Predicate<Container> condition) implements WaitStrategy {
        public Until {
            Objects.requireNonNull(description, "description");
            Objects.requireNonNull(condition, "condition");
        }
    }
}
