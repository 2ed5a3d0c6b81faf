package dev.jcontainers.linux.ffm;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.Arrays;

/**
 * The shared plumbing of the bindings, in the shape jextract generates: one linker, libc's symbols, and
 * {@code errno} captured right after each call ({@link Linker.Option#captureCallState}) because the JVM
 * may run code between the native call and any later look at errno.
 *
 * <p>Binding classes ({@code Mount}, {@code Spawn}, ...) declare their handles with {@link #downcall}
 * and call them with a fresh call-state segment from {@link #callState(Arena)}; {@link #errno} reads it.
 */
public final class Native {
    private Native() {
    }

    public static final Linker LINKER = Linker.nativeLinker();
    public static final SymbolLookup LIBC = LINKER.defaultLookup();

    private static final Linker.Option CAPTURE_ERRNO = Linker.Option.captureCallState("errno");
    public static final MemoryLayout CALL_STATE_LAYOUT = Linker.Option.captureStateLayout();
    // a plain offset rather than a layout VarHandle, whose adapters are classes spun at run time
    private static final long ERRNO_OFFSET =
            CALL_STATE_LAYOUT.byteOffset(MemoryLayout.PathElement.groupElement("errno"));

    public static final ValueLayout.OfInt C_INT = ValueLayout.JAVA_INT;
    public static final ValueLayout.OfLong C_LONG = ValueLayout.JAVA_LONG;
    public static final ValueLayout.OfLong C_SIZE_T = ValueLayout.JAVA_LONG;
    public static final ValueLayout.OfLong C_SSIZE_T = ValueLayout.JAVA_LONG;
    public static final ValueLayout.OfInt C_UINT = ValueLayout.JAVA_INT;
    public static final ValueLayout.OfLong C_ULONG = ValueLayout.JAVA_LONG;
    public static final ValueLayout C_POINTER = ValueLayout.ADDRESS;

    /**
     * A handle for a libc function whose first parameter is the call-state segment (errno capture).
     * Returns null when the symbol does not exist in this libc, so callers can feature-detect.
     */
    public static MethodHandle downcall(String name, FunctionDescriptor descriptor) {
        return LIBC.find(name)
                .map(symbol -> LINKER.downcallHandle(symbol, descriptor, CAPTURE_ERRNO))
                .orElse(null);
    }

    /** A handle without errno capture, for functions that cannot fail or report errors in-band. */
    public static MethodHandle downcallNoErrno(String name, FunctionDescriptor descriptor) {
        return LIBC.find(name).map(symbol -> LINKER.downcallHandle(symbol, descriptor)).orElse(null);
    }

    /**
     * A libc function without errno whose parameters are all declared as machine words ({@link #C_LONG}): ints
     * widened, pointers passed by {@link MemorySegment#address()}. The x86-64 and aarch64 calling conventions
     * pass both in the same 64-bit registers and the callee reads only the bits of its C type, so functions of
     * one arity share one linked shape (the linker spins classes per shape). The result stays {@code int}: the
     * upper half of the return register is not defined for an int function. Null when libc lacks the symbol.
     */
    public static MethodHandle wordFunction(String name, int arity) {
        return LIBC.find(name).map(symbol -> wordFunction(symbol, C_INT, arity)).orElse(null);
    }

    /**
     * {@link #wordFunction(String, int)} for any library's symbol, with the result {@code C_INT}, {@code C_LONG}
     * (also for a pointer, as its address) or null for void.
     */
    public static MethodHandle wordFunction(MemorySegment symbol, ValueLayout result, int arity) {
        MemoryLayout[] words = new MemoryLayout[arity];
        Arrays.fill(words, C_LONG);
        FunctionDescriptor descriptor = result == null ? FunctionDescriptor.ofVoid(words)
                : FunctionDescriptor.of(result, words);
        return LINKER.downcallHandle(symbol, descriptor);
    }

    public static MemorySegment callState(Arena arena) {
        return arena.allocate(CALL_STATE_LAYOUT);
    }

    public static int errno(MemorySegment callState) {
        return callState.get(ValueLayout.JAVA_INT, ERRNO_OFFSET);
    }

    /** {@code strerror} text for an errno value. */
    public static String strerror(int errno) {
        return Errno.describe(errno);
    }
}
