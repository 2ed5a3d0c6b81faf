package dev.jcontainers.linux.ffm;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
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

    /** Raw {@code kill(2)}: 0, or -1 with errno in {@code callState}. */
    public static int kill(MemorySegment callState, int pid, int signal) {
        return (int) Syscall.KILL.call(callState, pid, signal);
    }

    /** {@code sigemptyset(3)}, which cannot fail on a valid set. */
    public static void sigemptyset(MemorySegment set) {
        Native.callWords(SigsetCalls.SIGEMPTYSET, set.address(), 0, 0, 0, 0, 0);
    }

    /** {@code sigfillset(3)}: libc's "all signals", which leaves out the ones it keeps for itself. */
    public static void sigfillset(MemorySegment set) {
        Native.callWords(SigsetCalls.SIGFILLSET, set.address(), 0, 0, 0, 0, 0);
    }

    /** Looked up on first use; in the shape of every raw system call ({@link Native#wordCall}). */
    private static final class SigsetCalls {
        static final MethodHandle SIGEMPTYSET = Native.wordCall("sigemptyset");
        static final MethodHandle SIGFILLSET = Native.wordCall("sigfillset");
    }
}
