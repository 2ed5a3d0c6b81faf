package dev.jcontainers.linux.launch;

import java.io.ByteArrayOutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.function.BooleanSupplier;

import dev.jcontainers.linux.ffm.Errno;
import dev.jcontainers.linux.ffm.LinuxException;
import dev.jcontainers.linux.ffm.Native;
import dev.jcontainers.linux.ffm.Poll;
import dev.jcontainers.linux.ffm.Unistd;

/**
 * Pipes for a launched process's stdin, stdout and stderr ({@link LaunchPlan.StreamMode#INHERIT}), pumped by
 * the calling thread with {@code poll}: stdin is fed from a byte array and then closed, stdout and stderr
 * are collected in memory. One thread, no blocking read that could outlive the process: when the process
 * has exited but a background child still holds a pipe, the pump takes what is buffered and stops.
 *
 * <p>Usage: {@link #open}, give {@link #stdinFd()}, {@link #stdoutFd()}, {@link #stderrFd()} to
 * {@link Launcher#launch}, {@link #closeChildEnds()}, {@link #pump}, then read the output; close in any case.
 */
public final class StdioPipes implements AutoCloseable {
    private static final int CHUNK = 65536;
    /** Writes of at most PIPE_BUF into a pipe that polls writable never block. */
    private static final int PIPE_BUF = 4096;
    private static final long EXIT_CHECK_NANOS = 50_000_000;
    private static final long DRAIN_NANOS = 100_000_000;

    private final int[] in; // {read, write} or {-1, -1}
    private final int[] out;
    private final int[] err;
    private final byte[] stdin;
    private int stdinOffset;
    private final ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();

    private StdioPipes(int[] in, int[] out, int[] err, byte[] stdin) {
        this.in = in;
        this.out = out;
        this.err = err;
        this.stdin = stdin;
    }

    /** Pipes for stdout and stderr, and for stdin when {@code stdin} is not null. */
    public static StdioPipes open(byte[] stdin) {
        int[] out = pipe();
        int[] err = null;
        int[] in = null;
        try {
            err = pipe();
            in = stdin == null ? new int[] {-1, -1} : pipe();
        } catch (RuntimeException e) {
            closeAll(out);
            if (err != null) {
                closeAll(err);
            }
            throw e;
        }
        return new StdioPipes(in, out, err, stdin == null ? new byte[0] : stdin.clone());
    }

    /** The read end the process gets as stdin; -1 when there is no stdin (use {@code /dev/null}). */
    public int stdinFd() {
        return in[0];
    }

    public int stdoutFd() {
        return out[1];
    }

    public int stderrFd() {
        return err[1];
    }

    /** Once the process has its copies: the ends it uses are closed here, so its exit reads as EOF. */
    public void closeChildEnds() {
        close(in, 0);
        close(out, 1);
        close(err, 1);
        if (stdin.length == 0) {
            close(in, 1);
        }
    }

    /**
     * Feeds stdin and collects output until both outputs are at EOF, or {@code exited} says the process is
     * gone and nothing more is buffered.
     *
     * @return false when {@code deadlineNanos} (a {@link System#nanoTime()} value; {@link Long#MAX_VALUE}:
     *         none) passed first
     */
    public boolean pump(BooleanSupplier exited, long deadlineNanos) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment fds = arena.allocate(Poll.POLLFD, 3);
            MemorySegment buf = arena.allocate(CHUNK);
            MemorySegment state = Native.callState(arena);
            boolean draining = false;
            long drainUntil = 0;
            long nextExitCheck = System.nanoTime() + EXIT_CHECK_NANOS;
            while (out[0] >= 0 || err[0] >= 0) {
                long now = System.nanoTime();
                if (deadlineNanos != Long.MAX_VALUE && now - deadlineNanos >= 0) {
                    return false;
                }
                if (draining && now - drainUntil >= 0) {
                    return true; // a background child keeps writing: the process itself is done
                }
                if (!draining && now - nextExitCheck >= 0) {
                    draining = exited.getAsBoolean();
                    drainUntil = now + DRAIN_NANOS;
                    nextExitCheck = now + EXIT_CHECK_NANOS;
                }
                long timeout = draining ? 0 : Math.max(1, (nextExitCheck - now) / 1_000_000);
                if (deadlineNanos != Long.MAX_VALUE) {
                    timeout = Math.min(timeout, Math.max(1, (deadlineNanos - now) / 1_000_000));
                }
                Poll.set(fds, 0, out[0], Poll.POLLIN); // poll ignores negative descriptors
                Poll.set(fds, 1, err[0], Poll.POLLIN);
                Poll.set(fds, 2, in[1], Poll.POLLOUT);
                int ready = Poll.poll(state, fds, 3L, (int) timeout);
                if (ready < 0) {
                    if (Native.errno(state) == Errno.EINTR) {
                        continue;
                    }
                    throw new LinuxException("poll", "stdio pipes", Native.errno(state));
                }
                if (ready == 0 && draining) {
                    return true; // exited, and nothing left in the pipes
                }
                if (Poll.revents(fds, 0) != 0) {
                    readInto(out, stdout, buf, state);
                }
                if (Poll.revents(fds, 1) != 0) {
                    readInto(err, stderr, buf, state);
                }
                if (Poll.revents(fds, 2) != 0) {
                    feedStdin(buf, state);
                }
            }
            return true;
        } catch (LinuxException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    public byte[] stdout() {
        return stdout.toByteArray();
    }

    public byte[] stderr() {
        return stderr.toByteArray();
    }

    @Override
    public void close() {
        closeAll(in);
        closeAll(out);
        closeAll(err);
    }

    private void readInto(int[] pipe, ByteArrayOutputStream sink, MemorySegment buf, MemorySegment state)
            throws Throwable {
        long n = Unistd.read(state, pipe[0], buf, (long) CHUNK);
        if (n > 0) {
            sink.write(buf.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE), 0, (int) n);
        } else if (n == 0 || Native.errno(state) != Errno.EINTR) {
            close(pipe, 0);
        }
    }

    private void feedStdin(MemorySegment buf, MemorySegment state) throws Throwable {
        int len = Math.min(PIPE_BUF, stdin.length - stdinOffset);
        MemorySegment.copy(stdin, stdinOffset, buf, ValueLayout.JAVA_BYTE, 0, len);
        long n = Unistd.write(state, in[1], buf, (long) len);
        if (n > 0) {
            stdinOffset += (int) n;
        }
        if (stdinOffset == stdin.length || (n < 0 && Native.errno(state) != Errno.EINTR)) {
            close(in, 1); // all written (EOF for the reader), or nobody reads any more
        }
    }

    private static int[] pipe() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment fds = arena.allocate(ValueLayout.JAVA_INT, 2);
            MemorySegment state = Native.callState(arena);
            int rc = Unistd.pipe2(state, fds, Unistd.O_CLOEXEC);
            if (rc != 0) {
                throw new LinuxException("pipe2", "stdio", Native.errno(state));
            }
            return new int[] {fds.getAtIndex(ValueLayout.JAVA_INT, 0), fds.getAtIndex(ValueLayout.JAVA_INT, 1)};
        } catch (LinuxException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    private static void close(int[] pipe, int end) {
        if (pipe[end] >= 0) {
            Launcher.closeFd(pipe[end]);
            pipe[end] = -1;
        }
    }

    private static void closeAll(int[] pipe) {
        close(pipe, 0);
        close(pipe, 1);
    }
}
