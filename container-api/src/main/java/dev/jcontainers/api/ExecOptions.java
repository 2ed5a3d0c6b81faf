package dev.jcontainers.api;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * How to run one {@link Container#exec} process; unset fields take the container's own values (Docker's
 * {@code exec -u -e -w}).
 *
 * @param user       {@code name|uid[:group|gid]}, resolved against the container's {@code /etc/passwd} and
 *                   {@code /etc/group}; null for the container's user
 * @param env        variables added to (or replacing those of) the container's environment
 * @param workingDir absolute path inside the container; null for the container's working directory
 * @param stdin      bytes fed to the process's stdin, which is then closed; null for {@code /dev/null}
 * @param timeout    after which the process is killed and {@link WaitTimeoutException} thrown; null: none
 * @param tty        run the process on a pseudo-terminal ({@code docker exec -t}): its output is then one
 *                   stream, with {@code \r\n} line ends
 * @param rows       the terminal's initial height, set before the process starts (0: the kernel's default)
 * @param cols       its initial width
 */
public record ExecOptions(String user, Map<String, String> env, String workingDir, byte[] stdin, Duration timeout,
                          boolean tty, int rows, int cols) {
    public ExecOptions {
        env = Map.copyOf(env == null ? Map.of() : env);
        for (String name : env.keySet()) {
            if (name.isEmpty() || name.indexOf('=') >= 0 || name.indexOf('\0') >= 0) {
                throw new IllegalArgumentException("invalid environment variable name: \"" + name + "\"");
            }
        }
        if (workingDir != null && !workingDir.startsWith("/")) {
            throw new IllegalArgumentException("the working directory must be an absolute path: " + workingDir);
        }
        if (timeout != null && (timeout.isNegative() || timeout.isZero())) {
            throw new IllegalArgumentException("the timeout must be positive: " + timeout);
        }
        stdin = stdin == null ? null : stdin.clone();
        if (rows < 0 || rows > 0xffff || cols < 0 || cols > 0xffff) {
            throw new IllegalArgumentException("bad terminal size " + rows + "x" + cols);
        }
    }

    public static ExecOptions defaults() {
        return new ExecOptions(null, Map.of(), null, null, null, false, 0, 0);
    }

    public ExecOptions withUser(String u) {
        return new ExecOptions(u, env, workingDir, stdin, timeout, tty, rows, cols);
    }

    /** Adds one variable, replacing an earlier one of the same name. */
    public ExecOptions withEnv(String name, String value) {
        Map<String, String> more = new LinkedHashMap<>(env);
        more.put(name, Objects.requireNonNull(value, "value"));
        return new ExecOptions(user, more, workingDir, stdin, timeout, tty, rows, cols);
    }

    public ExecOptions withWorkingDir(String dir) {
        return new ExecOptions(user, env, dir, stdin, timeout, tty, rows, cols);
    }

    public ExecOptions withStdin(byte[] bytes) {
        return new ExecOptions(user, env, workingDir, bytes, timeout, tty, rows, cols);
    }

    public ExecOptions withStdin(String text) {
        return withStdin(text.getBytes(StandardCharsets.UTF_8));
    }

    public ExecOptions withTimeout(Duration t) {
        return new ExecOptions(user, env, workingDir, stdin, t, tty, rows, cols);
    }

    /** With a pseudo-terminal, or without. */
    public ExecOptions withTty(boolean withTty) {
        return new ExecOptions(user, env, workingDir, stdin, timeout, withTty, rows, cols);
    }

    /** With a pseudo-terminal of this size from the start (no race with a process that asks at once). */
    public ExecOptions withTerminalSize(int newRows, int newCols) {
        return new ExecOptions(user, env, workingDir, stdin, timeout, true, newRows, newCols);
    }

    @Override
    public byte[] stdin() {
        return stdin == null ? null : stdin.clone();
    }
}
