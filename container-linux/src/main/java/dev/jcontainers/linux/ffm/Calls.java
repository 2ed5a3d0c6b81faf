package dev.jcontainers.linux.ffm;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/** Small helpers shared by the binding families: C strings and error checks. */
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
}
