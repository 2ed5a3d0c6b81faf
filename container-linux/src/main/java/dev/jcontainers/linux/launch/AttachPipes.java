package dev.jcontainers.linux.launch;

import java.io.InputStream;
import java.io.OutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import dev.jcontainers.linux.ffm.LinuxException;
import dev.jcontainers.linux.ffm.Native;
import dev.jcontainers.linux.ffm.Unistd;

/**
 * Three pipes that attach a launched process to the caller as streams: give {@link #childStdin()},
 * {@link #childStdout()}, {@link #childStderr()} to {@link Launcher#launch}, then {@link #closeChildEnds()}
 * and hand {@link #stdin()}, {@link #stdout()}, {@link #stderr()} to whoever talks to the process. With a
 * {@linkplain LaunchPlan#terminal() terminal} the monitor relays between these pipes and the terminal, and
 * stderr stays empty. {@link #close()} closes whatever is still open.
 */
public final class AttachPipes implements AutoCloseable {
    private final int[][] pipes = {{-1, -1}, {-1, -1}, {-1, -1}};
    private final InputStream stdout;
    private final InputStream stderr;
    private final OutputStream stdin;

    public AttachPipes() {
        try {
            for (int[] p : pipes) {
                int[] fds = pipe();
                p[0] = fds[0];
                p[1] = fds[1];
            }
        } catch (RuntimeException e) {
            for (int[] p : pipes) {
                closeFds(p, 0);
                closeFds(p, 1);
            }
            throw e;
        }
        stdin = FdStreams.output(pipes[0][1]);
        stdout = FdStreams.input(pipes[1][0]);
        stderr = FdStreams.input(pipes[2][0]);
    }

    public int childStdin() {
        return pipes[0][0];
    }

    public int childStdout() {
        return pipes[1][1];
    }

    public int childStderr() {
        return pipes[2][1];
    }

    /** Once the launch has passed them on: the process's exit then reads as end of stream here. */
    public void closeChildEnds() {
        closeFds(pipes[0], 0);
        closeFds(pipes[1], 1);
        closeFds(pipes[2], 1);
    }

    /** Writes to the process's stdin; closing it is end of input (without a terminal). */
    public OutputStream stdin() {
        return stdin;
    }

    public InputStream stdout() {
        return stdout;
    }

    public InputStream stderr() {
        return stderr;
    }

    @Override
    public void close() {
        closeChildEnds();
        try {
            stdin.close();
            stdout.close();
            stderr.close();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void closeFds(int[] pipe, int end) {
        if (pipe[end] >= 0) {
            Launcher.closeFd(pipe[end]);
            pipe[end] = -1;
        }
    }

    private static int[] pipe() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment fds = arena.allocate(ValueLayout.JAVA_INT, 2);
            MemorySegment state = Native.callState(arena);
            if (Unistd.pipe2(state, fds, Unistd.O_CLOEXEC) != 0) {
                throw new LinuxException("pipe2", "attach", Native.errno(state));
            }
            return new int[] {fds.getAtIndex(ValueLayout.JAVA_INT, 0), fds.getAtIndex(ValueLayout.JAVA_INT, 1)};
        } catch (LinuxException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }
}
