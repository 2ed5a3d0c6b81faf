package dev.jcontainers.linux.ffm;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/** {@code <poll.h>}: waiting on the control socket or a pidfd with a timeout. */
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
    public static final VarHandle POLLFD_FD = POLLFD.varHandle(MemoryLayout.PathElement.groupElement("fd"));
    public static final VarHandle POLLFD_EVENTS = POLLFD.varHandle(MemoryLayout.PathElement.groupElement("events"));
    public static final VarHandle POLLFD_REVENTS = POLLFD.varHandle(MemoryLayout.PathElement.groupElement("revents"));

    public static final MethodHandle poll = Native.downcall("poll",
            FunctionDescriptor.of(Native.C_INT, Native.C_POINTER, Native.C_ULONG, Native.C_INT));
}
