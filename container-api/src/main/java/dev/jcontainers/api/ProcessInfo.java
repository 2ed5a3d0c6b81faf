package dev.jcontainers.api;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * One process of a running container, as {@code docker top} shows it: host pid and parent pid, the effective
 * user (named from the host's {@code /etc/passwd}, as {@code ps} on the host does; the number when unknown),
 * state letter, start time, CPU time used, controlling terminal ({@code ?} for none), memory, and the command
 * line ({@code [name]} for a process without one, e.g. a zombie).
 */
public record ProcessInfo(long pid, long ppid, long uid, String user, char state, Instant started,
                          Duration cpuTime, String tty, long rssBytes, long vszBytes, String name,
                          List<String> args) {
    public ProcessInfo {
        args = List.copyOf(args);
    }

    /** The command line as {@code ps} prints it: the arguments joined by spaces, or {@code [name]}. */
    public String command() {
        return args.isEmpty() ? "[" + name + "]" : String.join(" ", args);
    }
}
