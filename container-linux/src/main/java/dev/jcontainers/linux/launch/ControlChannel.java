package dev.jcontainers.linux.launch;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;

import dev.jcontainers.linux.ffm.LinuxException;
import dev.jcontainers.linux.ffm.Native;
import dev.jcontainers.linux.ffm.Poll;
import dev.jcontainers.linux.ffm.Sockets;

/**
 * The JVM's end of the SOCK_SEQPACKET socketpair to the launch helper. Every message is one datagram:
 * {@code u32 type | i32 a | i32 b | text}, little-endian. Sending is safe from any thread; receiving is
 * done by one thread at a time (callers serialise it).
 */
final class ControlChannel implements AutoCloseable {
    static final int MSG_CHILD = 1;
    static final int MSG_ERROR = 2;
    static final int MSG_STARTED = 3;
    static final int MSG_EXITED = 4;
    static final int MSG_ZYGOTE = 5;
    static final int MSG_GO = 10;
    static final int MSG_ABORT = 11;
    static final int MSG_SIGNAL = 12;
    static final int MSG_RESIZE = 13;

    private static final int PLAN_CHUNK = 32 * 1024;
    private static final ValueLayout.OfInt LE_INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /** A message from the helper. */
    record Message(int type, int a, int b, String text) {
    }

    private final int fd;
    private volatile boolean closed;

    ControlChannel(int fd) {
        this.fd = fd;
    }

    int fd() {
        return fd;
    }

    void sendPlan(byte[] plan) {
        for (int off = 0; off < plan.length; off += PLAN_CHUNK) {
            send(Arrays.copyOfRange(plan, off, Math.min(plan.length, off + PLAN_CHUNK)));
        }
    }

    void send(int type, int arg) {
        byte[] m = new byte[8];
        MemorySegment s = MemorySegment.ofArray(m);
        s.set(LE_INT, 0, type);
        s.set(LE_INT, 4, arg);
        send(m);
    }

    /** Sends one datagram; false when the helper is gone. */
    boolean trySend(int type, int arg) {
        try {
            send(type, arg);
            return true;
        } catch (LinuxException e) {
            return false;
        }
    }

    private void send(byte[] datagram) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(datagram.length);
            buf.copyFrom(MemorySegment.ofArray(datagram));
            MemorySegment state = Native.callState(arena);
            long n = Sockets.send(state, fd, buf, (long) datagram.length, Sockets.MSG_NOSIGNAL);
            if (n != datagram.length) {
                throw new LinuxException("send", "launch helper socket", n < 0 ? Native.errno(state) : 0);
            }
        } catch (LinuxException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /**
     * Waits up to {@code timeoutMillis} (-1: forever) for a message. Empty on timeout; a message of type 0
     * when the helper closed its end.
     */
    Optional<Message> receive(long timeoutMillis) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Native.callState(arena);
            MemorySegment pfd = arena.allocate(Poll.POLLFD);
            Poll.set(pfd, 0, fd, Poll.POLLIN);
            int ready = Poll.poll(state, pfd, 1L, (int) Math.min(timeoutMillis, Integer.MAX_VALUE));
            if (ready < 0) {
                int errno = Native.errno(state);
                if (errno == dev.jcontainers.linux.ffm.Errno.EINTR) {
                    return Optional.empty();
                }
                throw new LinuxException("poll", "launch helper socket", errno);
            }
            if (ready == 0) {
                return Optional.empty();
            }
            MemorySegment buf = arena.allocate(1024);
            long n = Sockets.recv(state, fd, buf, 1024L, Sockets.MSG_DONTWAIT);
            if (n < 0) {
                int errno = Native.errno(state);
                if (errno == dev.jcontainers.linux.ffm.Errno.EAGAIN || errno == dev.jcontainers.linux.ffm.Errno.EINTR) {
                    return Optional.empty();
                }
                return Optional.of(new Message(0, 0, 0, "recv: errno " + errno));
            }
            if (n < 12) {
                return Optional.of(new Message(0, 0, 0, ""));
            }
            String text = new String(buf.asSlice(12, n - 12).toArray(ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8);
            return Optional.of(new Message(buf.get(LE_INT, 0), buf.get(LE_INT, 4), buf.get(LE_INT, 8), text));
        } catch (LinuxException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** Blocks until a message arrives (type 0: the helper closed the socket). */
    Message receive() {
        Optional<Message> m;
        do {
            m = receive(-1);
        } while (m.isEmpty());
        return m.get();
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            Launcher.closeFd(fd);
        }
    }
}
