package dev.jcontainers.linux.ffm;

import java.lang.foreign.FunctionDescriptor;
import java.lang.invoke.MethodHandle;

/** {@code <sys/wait.h>}: reaping the launch helper, which is the JVM's child. */
public final class Wait {
    private Wait() {
    }

    public static final int WNOHANG = 1;

    public static final MethodHandle waitpid = Native.downcall("waitpid",
            FunctionDescriptor.of(Native.C_INT, Native.C_INT, Native.C_POINTER, Native.C_INT));

    public static boolean exited(int status) {
        return (status & 0x7f) == 0;
    }

    public static int exitStatus(int status) {
        return (status >> 8) & 0xff;
    }

    public static boolean signaled(int status) {
        int low = status & 0x7f;
        return low != 0 && low != 0x7f;
    }

    public static int termSignal(int status) {
        return status & 0x7f;
    }
}
