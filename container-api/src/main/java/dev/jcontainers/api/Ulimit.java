package dev.jcontainers.api;

import java.util.List;
import java.util.Locale;

/**
 * A resource limit of the container's process, Docker's {@code --ulimit name=soft[:hard]}: {@code name} is
 * the lower-case name Docker accepts ({@code nofile}, {@code nproc}, {@code core}, ...); -1 means unlimited.
 */
public record Ulimit(String name, long soft, long hard) {
    /** The names {@code --ulimit} accepts (Docker's go-units), each {@code RLIMIT_<NAME>} in the kernel. */
    public static final List<String> NAMES = List.of("as", "core", "cpu", "data", "fsize", "locks", "memlock",
            "msgqueue", "nice", "nofile", "nproc", "rss", "rtprio", "rttime", "sigpending", "stack");

    public static final long UNLIMITED = -1;

    public Ulimit {
        if (name == null || !NAMES.contains(name)) {
            throw new IllegalArgumentException("invalid ulimit type: " + name + " (one of " + String.join(", ", NAMES) + ")");
        }
        if (soft < UNLIMITED || hard < UNLIMITED) {
            throw new IllegalArgumentException("invalid ulimit " + name + ": values must be positive or -1 (unlimited)");
        }
        if (hard != UNLIMITED && (soft == UNLIMITED || soft > hard)) {
            throw new IllegalArgumentException("ulimit soft limit must be less than or equal to hard limit: "
                    + soft + " > " + hard);
        }
    }

    /** Docker's {@code --ulimit} syntax: {@code nofile=1024:2048}, or {@code nofile=1024} for soft = hard. */
    public static Ulimit parse(String value) {
        int eq = value.indexOf('=');
        if (eq <= 0) {
            throw new IllegalArgumentException("invalid ulimit argument: " + value + " (expected name=soft[:hard])");
        }
        String name = value.substring(0, eq);
        String[] limits = value.substring(eq + 1).split(":", -1);
        if (limits.length > 2) {
            throw new IllegalArgumentException("too many limit value arguments: " + value);
        }
        long soft = number(limits[0], value);
        long hard = limits.length == 2 ? number(limits[1], value) : soft;
        return new Ulimit(name, soft, hard);
    }

    /** The OCI runtime spec's name for this limit: {@code RLIMIT_NOFILE}. */
    public String rlimitType() {
        return "RLIMIT_" + name.toUpperCase(Locale.ROOT);
    }

    private static long number(String s, String value) {
        try {
            return Long.parseLong(s.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("invalid ulimit value " + s + " in " + value);
        }
    }
}
