package dev.jcontainers.linux.ffm;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/** Small helpers shared by the binding families: C strings, error checks, syscall(2) fallbacks. */
final class Calls {
    private Calls() {
    }

    /** A NUL-terminated copy of {@code s}, or NULL for null. */
    static MemorySegment cString(Arena arena, String s) {
        return s == null ? MemorySegment.NULL : arena.allocateFrom(s);
    }

    /** Throws a {@link LinuxException} naming the call and subject when {@code rc} is negative. */
    static long check(long rc, MemorySegment callState, String call, String subject) {
        if (rc < 0) {
            throw new LinuxException(call, subject, Native.errno(callState));
        }
        return rc;
    }

    /** For the {@code catch (Throwable)} that {@code invokeExact} forces on every call site. */
    static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException e) {
            return e;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new IllegalStateException("native call failed", t);
    }

    /**
     * A handle for a libc wrapper that older C libraries lack (glibc before 2.36 has no fsopen, ...):
     * the symbol when libc exports it, otherwise {@code syscall(nr, ...)} adapted to the same type.
     * The mount API syscalls (424 and later) share one number on every architecture.
     */
    static MethodHandle symbolOrSyscall(String name, long nr, FunctionDescriptor descriptor) {
        MethodHandle direct = Native.downcall(name, descriptor);
        return direct != null ? direct : syscall(nr, descriptor);
    }

    /** {@code syscall(nr, ...)} with the type a libc wrapper of {@code descriptor} would have (errno captured). */
    static MethodHandle syscall(long nr, FunctionDescriptor descriptor) {
        // syscall(2) is variadic; pass every argument as a full machine word, as the kernel reads them.
        MemoryLayout[] words = new MemoryLayout[descriptor.argumentLayouts().size() + 1];
        for (int i = 0; i < words.length; i++) {
            MemoryLayout arg = i == 0 ? Native.C_LONG : descriptor.argumentLayouts().get(i - 1);
            words[i] = arg instanceof ValueLayout.OfInt ? Native.C_LONG : arg;
        }
        MethodHandle syscall = Native.LINKER.downcallHandle(
                Native.LIBC.find("syscall").orElseThrow(),
                FunctionDescriptor.of(Native.C_LONG, words),
                Linker.Option.captureCallState("errno"), Linker.Option.firstVariadicArg(1));
        MethodHandle bound = MethodHandles.insertArguments(syscall, 1, nr);
        MethodType target = descriptor.toMethodType().insertParameterTypes(0, MemorySegment.class);
        return MethodHandles.explicitCastArguments(bound, target);
    }
}
