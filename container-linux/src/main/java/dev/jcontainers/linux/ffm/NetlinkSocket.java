package dev.jcontainers.linux.ffm;

import static dev.jcontainers.linux.ffm.Calls.check;

import java.lang.foreign.Arena;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;

/**
 * {@code sys/socket.h} + {@code linux/netlink.h}: the socket calls a netlink client needs (socket, bind,
 * getsockname, setsockopt, sendto, recv) and the netlink framing structs ({@code sockaddr_nl},
 * {@code nlmsghdr}, {@code nlmsgerr}). Java's own sockets cannot open {@code AF_NETLINK}. Headers and
 * symbols in {@code src/main/ffm/netlink.txt}; layouts and constants checked by {@code NetLayoutTest}.
 *
 * <p>Close the descriptor with {@link Unistd#close}.
 */
public final class NetlinkSocket {
    private NetlinkSocket() {
    }

    public static final int AF_UNSPEC = 0;
    public static final int AF_INET = 2;
    public static final int AF_INET6 = 10;
    public static final int AF_NETLINK = 16;
    public static final int SOCK_RAW = 3;
    public static final int SOCK_CLOEXEC = 02000000;
    public static final int MSG_TRUNC = 0x20;

    public static final int NETLINK_ROUTE = 0;
    public static final int SOL_NETLINK = 270;
    /** Replies to errors carry only the failed request's header, not its whole payload. */
    public static final int NETLINK_CAP_ACK = 10;
    /** Errors may carry a human-readable message ({@link #NLMSGERR_ATTR_MSG}) from the kernel. */
    public static final int NETLINK_EXT_ACK = 11;

    // nlmsghdr.nlmsg_flags
    public static final int NLM_F_REQUEST = 0x01;
    public static final int NLM_F_MULTI = 0x02;
    public static final int NLM_F_ACK = 0x04;
    public static final int NLM_F_DUMP_INTR = 0x10;
    public static final int NLM_F_ROOT = 0x100;
    public static final int NLM_F_MATCH = 0x200;
    public static final int NLM_F_DUMP = NLM_F_ROOT | NLM_F_MATCH;
    public static final int NLM_F_EXCL = 0x200;
    public static final int NLM_F_CREATE = 0x400;
    /** On an NLMSG_ERROR: the echoed request was cut to its header (NETLINK_CAP_ACK). */
    public static final int NLM_F_CAPPED = 0x100;
    /** On an NLMSG_ERROR: extended-ack attributes follow the echoed request. */
    public static final int NLM_F_ACK_TLVS = 0x200;

    // nlmsghdr.nlmsg_type values shared by every netlink family
    public static final int NLMSG_NOOP = 1;
    public static final int NLMSG_ERROR = 2;
    public static final int NLMSG_DONE = 3;
    public static final int NLMSG_OVERRUN = 4;
    public static final int NLMSG_ALIGNTO = 4;

    // extended ack attributes (enum nlmsgerr_attrs)
    public static final int NLMSGERR_ATTR_MSG = 1;
    public static final int NLMSGERR_ATTR_OFFS = 2;

    // attribute type bits (struct nlattr / rtattr share them)
    public static final int NLA_F_NESTED = 1 << 15;
    public static final int NLA_TYPE_MASK = ~((1 << 15) | (1 << 14));

    // errnos that rtnetlink reports and Errno does not name
    public static final int ENODEV = 19;
    public static final int ERANGE = 34;
    public static final int ENOBUFS = 105;
    public static final int EAFNOSUPPORT = 97;
    public static final int EADDRNOTAVAIL = 99;
    public static final int ENETUNREACH = 101;

    /** {@code struct sockaddr_nl}: 12 bytes. */
    public static final StructLayout SOCKADDR_NL = MemoryLayout.structLayout(
            ValueLayout.JAVA_SHORT.withName("nl_family"),
            ValueLayout.JAVA_SHORT.withName("nl_pad"),
            ValueLayout.JAVA_INT.withName("nl_pid"),
            ValueLayout.JAVA_INT.withName("nl_groups")).withName("sockaddr_nl");

    /** {@code struct nlmsghdr}: 16 bytes, host byte order, in front of every message. */
    public static final StructLayout NLMSGHDR = MemoryLayout.structLayout(
            ValueLayout.JAVA_INT.withName("nlmsg_len"),
            ValueLayout.JAVA_SHORT.withName("nlmsg_type"),
            ValueLayout.JAVA_SHORT.withName("nlmsg_flags"),
            ValueLayout.JAVA_INT.withName("nlmsg_seq"),
            ValueLayout.JAVA_INT.withName("nlmsg_pid")).withName("nlmsghdr");

    /** {@code struct nlmsgerr}: the payload of NLMSG_ERROR, a negative errno (0 = ack) and the request's header. */
    public static final StructLayout NLMSGERR = MemoryLayout.structLayout(
            ValueLayout.JAVA_INT.withName("error"),
            NLMSGHDR.withName("msg")).withName("nlmsgerr");

    // constant offsets, not layout VarHandles: those spin adapter classes at run time
    private static final long NL_FAMILY = SOCKADDR_NL.byteOffset(MemoryLayout.PathElement.groupElement("nl_family"));
    private static final long NL_PID = SOCKADDR_NL.byteOffset(MemoryLayout.PathElement.groupElement("nl_pid"));
    private static final long NL_GROUPS = SOCKADDR_NL.byteOffset(MemoryLayout.PathElement.groupElement("nl_groups"));

    /** {@code socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, protocol)}, in the calling thread's network namespace. */
    public static int open(int protocol) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Native.callState(arena);
            long fd = Syscall.SOCKET.call(state, AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, protocol);
            return (int) check(fd, state, "socket", "AF_NETLINK, protocol " + protocol);
        }
    }

    /** Binds to {@code sockaddr_nl{pid = 0}} (the kernel picks the port id) and returns the port id it chose. */
    public static int bindAutoPortId(int fd) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Native.callState(arena);
            MemorySegment addr = kernelAddress(arena);
            long rc = Syscall.BIND.call(state, fd, addr.address(), SOCKADDR_NL.byteSize());
            check(rc, state, "bind", "netlink fd " + fd);
            MemorySegment len = arena.allocate(Native.C_UINT);
            len.set(Native.C_UINT, 0, (int) SOCKADDR_NL.byteSize());
            rc = Syscall.GETSOCKNAME.call(state, fd, addr.address(), len.address());
            check(rc, state, "getsockname", "netlink fd " + fd);
            return addr.get(ValueLayout.JAVA_INT, NL_PID);
        }
    }

    /** {@code setsockopt(fd, level, name, &value, sizeof(int))}. */
    public static void setIntOption(int fd, int level, int name, int value) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Native.callState(arena);
            MemorySegment v = arena.allocateFrom(Native.C_INT, value);
            long rc = Syscall.SETSOCKOPT.call(state, fd, level, name, v.address(), Native.C_INT.byteSize());
            check(rc, state, "setsockopt", "fd " + fd + ", level " + level + ", option " + name);
        }
    }

    /** Sends one datagram (one or more netlink messages) to the kernel (port id 0). */
    public static void sendToKernel(int fd, byte[] datagram, int length) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Native.callState(arena);
            MemorySegment buf = arena.allocate(length);
            MemorySegment.copy(datagram, 0, buf, ValueLayout.JAVA_BYTE, 0, length);
            MemorySegment addr = kernelAddress(arena);
            long n;
            do {
                n = Syscall.SENDTO.call(state, fd, buf.address(), length, 0, addr.address(), SOCKADDR_NL.byteSize());
            } while (n < 0 && Native.errno(state) == Errno.EINTR);
            check(n, state, "sendto", "netlink fd " + fd);
            if (n != length) {
                throw new IllegalStateException("netlink sendto wrote " + n + " of " + length + " bytes");
            }
        }
    }

    /**
     * Receives one datagram into {@code buf}; returns its full length, which (thanks to MSG_TRUNC) may
     * exceed {@code buf}'s size when the datagram did not fit and was cut.
     */
    public static long receive(int fd, MemorySegment buf) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Native.callState(arena);
            long n;
            do {
                n = Syscall.RECVFROM.call(state, fd, buf.address(), buf.byteSize(), MSG_TRUNC, 0, 0);
            } while (n < 0 && Native.errno(state) == Errno.EINTR);
            return check(n, state, "recv", "netlink fd " + fd);
        }
    }

    private static MemorySegment kernelAddress(Arena arena) {
        MemorySegment addr = arena.allocate(SOCKADDR_NL);
        addr.set(ValueLayout.JAVA_SHORT, NL_FAMILY, (short) AF_NETLINK);
        addr.set(ValueLayout.JAVA_INT, NL_PID, 0);
        addr.set(ValueLayout.JAVA_INT, NL_GROUPS, 0);
        return addr;
    }
}
