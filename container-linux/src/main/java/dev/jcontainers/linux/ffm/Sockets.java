package dev.jcontainers.linux.ffm;

import java.lang.foreign.MemorySegment;

/** {@code <sys/socket.h>}: the socketpair the JVM and the launch helper talk over. */
public final class Sockets {
    private Sockets() {
    }

    public static final int AF_UNIX = 1;
    public static final int SOCK_SEQPACKET = 5;
    public static final int SOCK_CLOEXEC = 0x80000;
    public static final int MSG_TRUNC = 0x20;
    public static final int MSG_DONTWAIT = 0x40;
    public static final int MSG_NOSIGNAL = 0x4000;

    /** Raw {@code socketpair(2)} into the two ints of {@code fds}: 0, or -1 with errno in {@code callState}. */
    public static int socketpair(MemorySegment callState, int domain, int type, int protocol, MemorySegment fds) {
        return (int) Syscall.SOCKETPAIR.call(callState, domain, type, protocol, fds.address());
    }

    /** Raw {@code send(2)} (sendto without an address): the count, or -1 with errno in {@code callState}. */
    public static long send(MemorySegment callState, int fd, MemorySegment buf, long len, int flags) {
        return Syscall.SENDTO.call(callState, fd, buf.address(), len, flags, 0, 0);
    }

    /** Raw {@code recv(2)} (recvfrom without an address): the count, or -1 with errno in {@code callState}. */
    public static long recv(MemorySegment callState, int fd, MemorySegment buf, long len, int flags) {
        return Syscall.RECVFROM.call(callState, fd, buf.address(), len, flags, 0, 0);
    }
}
