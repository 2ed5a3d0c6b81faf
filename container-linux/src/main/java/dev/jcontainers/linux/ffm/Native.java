package dev.jcontainers.linux.ffm;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

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
     * The one shape every raw system call is linked in ({@link Syscall}): {@code long f(long, ...)} with seven
     * words, the last six variadic, errno captured. The linker spins a stub and its LambdaForms per distinct
     * (descriptor, options) pair, so functions linked in exactly this shape cost no linking of their own.
     */
    static final FunctionDescriptor SEVEN_WORDS = FunctionDescriptor.of(C_LONG, C_LONG, C_LONG, C_LONG, C_LONG,
            C_LONG, C_LONG, C_LONG);
    static final Linker.Option[] SEVEN_WORDS_OPTIONS = {CAPTURE_ERRNO, Linker.Option.firstVariadicArg(1)};

    /**
     * A libc function of up to seven integer or pointer parameters in {@link #SEVEN_WORDS}' shape, called
     * through {@link #callWords}: ints widened, pointers by {@link MemorySegment#address()}, unused trailing
     * words 0. Sound on the engine's two ABIs (x86-64 SysV, aarch64 AAPCS64 on Linux): integer arguments travel
     * in registers (the seventh on x86-64 on the caller-cleaned stack), a callee declaring fewer parameters
     * never reads the rest, and the variadic marker only sets {@code %al}, the count of vector registers used
     * (0). An int function's result is the low half of the returned long. Null when libc lacks the symbol.
     */
    public static MethodHandle wordCall(String name) {
        return LIBC.find(name).map(Native::wordCall).orElse(null);
    }

    /** {@link #wordCall(String)} for any library's symbol. */
    public static MethodHandle wordCall(MemorySegment symbol) {
        return LINKER.downcallHandle(symbol, SEVEN_WORDS, SEVEN_WORDS_OPTIONS);
    }

    /** Calls a {@link #wordCall} handle; the result as the function returned it, errno dropped. */
    public static long callWords(MethodHandle function, long a1, long a2, long a3, long a4, long a5, long a6) {
        try (Arena arena = Arena.ofConfined()) {
            return (long) function.invokeExact(callState(arena), a1, a2, a3, a4, a5, a6, 0L);
        } catch (Throwable t) {
            throw Calls.rethrow(t);
        }
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
