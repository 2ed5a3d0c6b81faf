package dev.jcontainers.linux.ffm;

import java.lang.foreign.FunctionDescriptor;
import java.lang.invoke.MethodHandle;

/** {@code <unistd.h>}: the file-descriptor basics the launcher needs. */
public final class Unistd {
    private Unistd() {
    }

    public static final MethodHandle close = Native.downcall("close", FunctionDescriptor.of(Native.C_INT, Native.C_INT));
    public static final MethodHandle geteuid = Native.downcallNoErrno("geteuid", FunctionDescriptor.of(Native.C_UINT));
}
