package dev.jcontainers.linux.ffm;

import java.lang.foreign.Arena;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * {@code <poll.h>}: waiting on the control socket or a pidfd with a timeout. {@code poll} is made as the
 * {@code ppoll} system call (what glibc does too; aarch64 has no {@code poll} call).
 */
public final class Poll {
    private Poll() {
    }

    public static final short POLLIN = 0x1;
    public static final short POLLOUT = 0x4;
    public static final short POLLERR = 0x8;
    public static final short POLLHUP = 0x10;

    public static final MemoryLayout POLLFD = MemoryLayout.structLayout(
            ValueLayout.JAVA_INT.withName("fd"),
            ValueLayout.JAVA_SHORT.withName("events"),
            ValueLayout.JAVA_SHORT.withName("revents"));
    // constant offsets, not layout VarHandles: those spin adapter classes at run time
    private static final long FD = offset("fd");
    private static final long EVENTS = offset("events");
    private static final long REVENTS = offset("revents");

    private static long offset(String field) {
        return POLLFD.byteOffset(MemoryLayout.PathElement.groupElement(field));
    }

    private static final MemoryLayout TIMESPEC = MemoryLayout.structLayout(
            ValueLayout.JAVA_LONG.withName("tv_sec"), ValueLayout.JAVA_LONG.withName("tv_nsec"));

    /** Fills entry {@code index} of a {@code struct pollfd} array (a negative {@code fd} is ignored by poll). */
    public static void set(MemorySegment fds, int index, int fd, short events) {
        long base = index * POLLFD.byteSize();
        fds.set(ValueLayout.JAVA_INT, base + FD, fd);
        fds.set(ValueLayout.JAVA_SHORT, base + EVENTS, events);
        fds.set(ValueLayout.JAVA_SHORT, base + REVENTS, (short) 0);
    }

    /** The events poll reported for entry {@code index}. */
    public static short revents(MemorySegment fds, int index) {
        return fds.get(ValueLayout.JAVA_SHORT, index * POLLFD.byteSize() + REVENTS);
    }

    /**
     * Raw {@code poll(2)} of {@code nfds} entries, {@code timeoutMillis} negative for no limit: the number of
     * ready entries (0 on timeout), or -1 with errno in {@code callState}.
     */
    public static int poll(MemorySegment callState, MemorySegment fds, long nfds, int timeoutMillis) {
        try (Arena arena = Arena.ofConfined()) {
            long timeout = 0;
            if (timeoutMillis >= 0) {
                MemorySegment ts = arena.allocate(TIMESPEC);
                ts.set(ValueLayout.JAVA_LONG, 0, timeoutMillis / 1000);
                ts.set(ValueLayout.JAVA_LONG, 8, (timeoutMillis % 1000) * 1_000_000L);
                timeout = ts.address();
            }
            // no signal mask (NULL, so its size is not read): the plain poll
            return (int) Syscall.PPOLL.call(callState, fds.address(), nfds, timeout, 0, 0);
        }
    }
}
