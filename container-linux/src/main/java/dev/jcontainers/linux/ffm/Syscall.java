package dev.jcontainers.linux.ffm;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.util.Locale;

/**
 * The raw system calls of the bindings, every one through libc's {@code syscall(2)} and one downcall handle of one
 * fixed shape: {@code long syscall(long nr, long a1, ..., long a6)}, errno captured.
 *
 * <p>Why one shape: the linker spins a stub class and a few dozen LambdaForm classes for each distinct
 * (descriptor, options) pair it links, and no AOT cache holds them; a cold {@code jc run} linked 23 shapes, about
 * 50 ms of CPU. The kernel reads every argument as a full register, so ints travel widened to longs and pointers
 * as their addresses ({@link MemorySegment#address()}, of native segments the caller keeps alive for the call).
 * Unused trailing arguments are passed as 0, which the kernel ignores.
 *
 * <p>Each call returns the kernel's result, or -1 with errno in the call-state segment
 * ({@link Native#callState}, {@link Native#errno}). The typed wrappers ({@link Mount}, {@link Unistd}, ...) turn
 * that into their results and {@link LinuxException}s. Numbers for x86-64 and aarch64 (the architectures the
 * engine supports, checked against the kernel's tables by {@code SyscallTest}); elsewhere every number is -1,
 * which the kernel answers with ENOSYS.
 */
public enum Syscall {
    READ(0, 63),
    WRITE(1, 64),
    CLOSE(3, 57),
    OPENAT(257, 56),
    KILL(62, 129),
    WAIT4(61, 260),
    PPOLL(271, 73),
    SOCKETPAIR(53, 199),
    SENDTO(44, 206),
    RECVFROM(45, 207),
    PIPE2(293, 59),
    GETEUID(107, 175),
    MOUNT(165, 40),
    UMOUNT2(166, 39),
    OPEN_TREE(428, 428),
    MOVE_MOUNT(429, 429),
    FSOPEN(430, 430),
    FSCONFIG(431, 431),
    FSMOUNT(432, 432),
    FSPICK(433, 433),
    MOUNT_SETATTR(442, 442),
    PIDFD_OPEN(434, 434),
    PIDFD_SEND_SIGNAL(424, 424),
    OPENAT2(437, 437),
    MKDIRAT(258, 34),
    SYMLINKAT(266, 36),
    LINKAT(265, 37),
    UNLINKAT(263, 35),
    READLINKAT(267, 78),
    FCHOWNAT(260, 54),
    FCHMOD(91, 52),
    FCHOWN(93, 55),
    SETNS(308, 268),
    UNSHARE(272, 97),
    STATFS(137, 43),
    STATX(332, 291),
    LSETXATTR(189, 6),
    LGETXATTR(192, 9),
    SOCKET(41, 198),
    BIND(49, 200),
    GETSOCKNAME(51, 204),
    SETSOCKOPT(54, 208),
    IOCTL(16, 29);

    private static final MethodHandle SYSCALL = Native.LINKER.downcallHandle(
            Native.LIBC.find("syscall").orElseThrow(), Native.SEVEN_WORDS, Native.SEVEN_WORDS_OPTIONS);

    private final int x86_64;
    private final int aarch64;
    private final long number;

    Syscall(int x86_64, int aarch64) {
        this.x86_64 = x86_64;
        this.aarch64 = aarch64;
        this.number = numberOn(Arch.CURRENT);
    }

    /** This call's number on the running architecture (-1 where the engine has no table). */
    public long number() {
        return number;
    }

    /** The number on {@code arch} by its kernel name ({@code x86_64}, {@code aarch64}), else -1. */
    int numberOn(String arch) {
        return switch (arch) {
            case "x86_64" -> x86_64;
            case "aarch64" -> aarch64;
            default -> -1;
        };
    }

    public long call(MemorySegment callState) {
        return call(callState, 0, 0, 0, 0, 0, 0);
    }

    public long call(MemorySegment callState, long a1) {
        return call(callState, a1, 0, 0, 0, 0, 0);
    }

    public long call(MemorySegment callState, long a1, long a2) {
        return call(callState, a1, a2, 0, 0, 0, 0);
    }

    public long call(MemorySegment callState, long a1, long a2, long a3) {
        return call(callState, a1, a2, a3, 0, 0, 0);
    }

    public long call(MemorySegment callState, long a1, long a2, long a3, long a4) {
        return call(callState, a1, a2, a3, a4, 0, 0);
    }

    public long call(MemorySegment callState, long a1, long a2, long a3, long a4, long a5) {
        return call(callState, a1, a2, a3, a4, a5, 0);
    }

    public long call(MemorySegment callState, long a1, long a2, long a3, long a4, long a5, long a6) {
        try {
            return (long) SYSCALL.invokeExact(callState, number, a1, a2, a3, a4, a5, a6);
        } catch (Throwable t) {
            throw Calls.rethrow(t);
        }
    }

    /** The running architecture by its kernel name; a holder because enum constructors cannot read enum statics. */
    private static final class Arch {
        static final String CURRENT = switch (System.getProperty("os.arch").toLowerCase(Locale.ROOT)) {
            case "amd64", "x86_64" -> "x86_64";
            case "aarch64", "arm64" -> "aarch64";
            default -> "unsupported";
        };
    }
}
