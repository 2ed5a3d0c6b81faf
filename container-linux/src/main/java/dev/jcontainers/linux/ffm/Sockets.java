package dev.jcontainers.linux.ffm;

import java.lang.foreign.FunctionDescriptor;
import java.lang.invoke.MethodHandle;

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

    public static final MethodHandle socketpair = Native.downcall("socketpair",
            FunctionDescriptor.of(Native.C_INT, Native.C_INT, Native.C_INT, Native.C_INT, Native.C_POINTER));
    public static final MethodHandle send = Native.downcall("send", FunctionDescriptor.of(
            Native.C_SSIZE_T, Native.C_INT, Native.C_POINTER, Native.C_SIZE_T, Native.C_INT));
    public static final MethodHandle recv = Native.downcall("recv", FunctionDescriptor.of(
            Native.C_SSIZE_T, Native.C_INT, Native.C_POINTER, Native.C_SIZE_T, Native.C_INT));
}
