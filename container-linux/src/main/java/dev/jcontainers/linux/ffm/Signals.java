package dev.jcontainers.linux.ffm;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/** {@code <signal.h>}: signal numbers, {@code kill} and the {@code sigset_t} helpers spawn attributes need. */
public final class Signals {
    private Signals() {
    }

    public static final int SIGHUP = 1;
    public static final int SIGINT = 2;
    public static final int SIGKILL = 9;
    public static final int SIGUSR1 = 10;
    public static final int SIGTERM = 15;
    public static final int SIGCHLD = 17;
    public static final int SIGSTOP = 19;

    /** {@code sigset_t}: glibc reserves 1024 bits. */
    public static final MemoryLayout SIGSET_T = MemoryLayout.structLayout(
            MemoryLayout.sequenceLayout(16, ValueLayout.JAVA_LONG).withName("__val"));

    public static final MethodHandle kill = Native.downcall("kill",
            FunctionDescriptor.of(Native.C_INT, Native.C_INT, Native.C_INT));
    public static final MethodHandle sigemptyset = Native.downcall("sigemptyset",
            FunctionDescriptor.of(Native.C_INT, Native.C_POINTER));
    public static final MethodHandle sigfillset = Native.downcall("sigfillset",
            FunctionDescriptor.of(Native.C_INT, Native.C_POINTER));
}
