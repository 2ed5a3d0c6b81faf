package dev.jcontainers.linux.ffm;

import java.lang.foreign.FunctionDescriptor;
import java.lang.invoke.MethodHandle;

/** {@code <unistd.h>}: the file-descriptor basics the launcher needs. */
public final class Unistd {
    private Unistd() {
    }

    public static final int O_CLOEXEC = 0x80000;

    public static final MethodHandle close = Native.downcall("close", FunctionDescriptor.of(Native.C_INT, Native.C_INT));
    public static final MethodHandle pipe2 = Native.downcall("pipe2",
            FunctionDescriptor.of(Native.C_INT, Native.C_POINTER, Native.C_INT));
    public static final MethodHandle read = Native.downcall("read",
            FunctionDescriptor.of(Native.C_SSIZE_T, Native.C_INT, Native.C_POINTER, Native.C_SIZE_T));
    public static final MethodHandle geteuid = Native.downcallNoErrno("geteuid", FunctionDescriptor.of(Native.C_UINT));
}
