package dev.jcontainers.linux.ffm;

import java.lang.foreign.MemorySegment;

/** {@code <sys/wait.h>}: reaping the launch helper, which is the JVM's child. */
public final class Wait {
    private Wait() {
    }

    public static final int WNOHANG = 1;

    /**
     * Raw {@code waitpid(2)} (the {@code wait4} call without resource usage) with the status into the int of
     * {@code status}: the reaped pid, 0 with WNOHANG, or -1 with errno in {@code callState}.
     */
    public static int waitpid(MemorySegment callState, int pid, MemorySegment status, int options) {
        return (int) Syscall.WAIT4.call(callState, pid, status.address(), options, 0);
    }

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
