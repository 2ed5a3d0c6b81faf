package dev.jcontainers.linux.ffm;

import java.lang.foreign.FunctionDescriptor;
import java.lang.invoke.MethodHandle;

/**
 * {@code <sys/pidfd.h>} (glibc 2.36+; null handles on older libcs, callers then fall back to pids): a pidfd
 * names one process for good, so signalling it cannot hit a recycled pid, and it polls readable at exit.
 */
public final class Pidfd {
    private Pidfd() {
    }

    public static final MethodHandle pidfd_open = Native.downcall("pidfd_open",
            FunctionDescriptor.of(Native.C_INT, Native.C_INT, Native.C_UINT));
    public static final MethodHandle pidfd_send_signal = Native.downcall("pidfd_send_signal",
            FunctionDescriptor.of(Native.C_INT, Native.C_INT, Native.C_INT, Native.C_POINTER, Native.C_UINT));

    public static boolean available() {
        return pidfd_open != null && pidfd_send_signal != null;
    }
}
