package dev.jcontainers.linux.ffm;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * {@code <sys/pidfd.h>} as system calls (Linux 5.3+; on older kernels they fail with ENOSYS and callers fall back to
 * pids): a pidfd names one process for good, so signalling it cannot hit a recycled pid, and it polls readable
 * at exit.
 */
public final class Pidfd {
    private Pidfd() {
    }

    /** Raw {@code pidfd_open(2)}: the descriptor, or -1 with errno in {@code callState} (ENOSYS before Linux 5.3). */
    public static int pidfd_open(MemorySegment callState, int pid, int flags) {
        return (int) Syscall.PIDFD_OPEN.call(callState, pid, flags);
    }

    /** Raw {@code pidfd_send_signal(2)} without a siginfo: 0, or -1 with errno in {@code callState}. */
    public static int pidfd_send_signal(MemorySegment callState, int pidfd, int signal, int flags) {
        return (int) Syscall.PIDFD_SEND_SIGNAL.call(callState, pidfd, signal, 0, flags);
    }

    /** True when the kernel has pidfds: asked once, by opening (and closing) one for this process. */
    public static boolean available() {
        return Probe.AVAILABLE;
    }

    private static final class Probe {
        static final boolean AVAILABLE = probe();

        private static boolean probe() {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment state = Native.callState(arena);
                int fd = pidfd_open(state, (int) ProcessHandle.current().pid(), 0);
                if (fd < 0) {
                    return false;
                }
                Unistd.close(state, fd);
                return true;
            }
        }
    }
}
