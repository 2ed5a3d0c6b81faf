package dev.jcontainers.linux.ffm;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.Optional;

/**
 * {@code termios.h} and the terminal ioctls (see {@code src/main/ffm/termios.txt}): what a client needs to
 * put the caller's terminal in raw mode while it is attached to a container's terminal, and to learn its
 * size. Layouts for Linux (x86-64, aarch64), checked against gcc by {@code FfmLayoutTest}.
 */
public final class Termios {
    private Termios() {
    }

    public static final int TCSANOW = 0;
    public static final int TCSADRAIN = 1;
    public static final long TIOCGWINSZ = 0x5413;
    public static final long TIOCSWINSZ = 0x5414;

    public static final StructLayout TERMIOS = MemoryLayout.structLayout(
            ValueLayout.JAVA_INT.withName("c_iflag"),
            ValueLayout.JAVA_INT.withName("c_oflag"),
            ValueLayout.JAVA_INT.withName("c_cflag"),
            ValueLayout.JAVA_INT.withName("c_lflag"),
            ValueLayout.JAVA_BYTE.withName("c_line"),
            MemoryLayout.sequenceLayout(32, ValueLayout.JAVA_BYTE).withName("c_cc"),
            MemoryLayout.paddingLayout(3),
            ValueLayout.JAVA_INT.withName("c_ispeed"),
            ValueLayout.JAVA_INT.withName("c_ospeed")).withName("termios");

    public static final StructLayout WINSIZE = MemoryLayout.structLayout(
            ValueLayout.JAVA_SHORT.withName("ws_row"),
            ValueLayout.JAVA_SHORT.withName("ws_col"),
            ValueLayout.JAVA_SHORT.withName("ws_xpixel"),
            ValueLayout.JAVA_SHORT.withName("ws_ypixel")).withName("winsize");

    public static final MethodHandle tcgetattr = Native.downcall("tcgetattr",
            FunctionDescriptor.of(Native.C_INT, Native.C_INT, Native.C_POINTER));
    public static final MethodHandle tcsetattr = Native.downcall("tcsetattr",
            FunctionDescriptor.of(Native.C_INT, Native.C_INT, Native.C_INT, Native.C_POINTER));
    public static final MethodHandle cfmakeraw = Native.downcallNoErrno("cfmakeraw",
            FunctionDescriptor.ofVoid(Native.C_POINTER));
    public static final MethodHandle isatty = Native.downcallNoErrno("isatty",
            FunctionDescriptor.of(Native.C_INT, Native.C_INT));
    /** {@code ioctl(fd, request, struct winsize *)}; ioctl is variadic after the request. */
    public static final MethodHandle ioctl_winsize = Native.LINKER.downcallHandle(
            Native.LIBC.find("ioctl").orElseThrow(),
            FunctionDescriptor.of(Native.C_INT, Native.C_INT, Native.C_ULONG, Native.C_POINTER),
            Linker.Option.captureCallState("errno"), Linker.Option.firstVariadicArg(2));

    /** A terminal's size, rows by columns. */
    public record Size(int rows, int cols) {
    }

    public static boolean isTerminal(int fd) {
        try {
            return (int) isatty.invokeExact(fd) == 1;
        } catch (Throwable t) {
            throw Calls.rethrow(t);
        }
    }

    /** The size of the terminal on {@code fd}; empty when it is not a terminal or reports none. */
    public static Optional<Size> size(int fd) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment ws = arena.allocate(WINSIZE);
            int rc = (int) ioctl_winsize.invokeExact(Native.callState(arena), fd, TIOCGWINSZ, ws);
            int rows = Short.toUnsignedInt(ws.get(ValueLayout.JAVA_SHORT, 0));
            int cols = Short.toUnsignedInt(ws.get(ValueLayout.JAVA_SHORT, 2));
            return rc == 0 && rows > 0 && cols > 0 ? Optional.of(new Size(rows, cols)) : Optional.empty();
        } catch (Throwable t) {
            throw Calls.rethrow(t);
        }
    }

    /**
     * Puts the terminal on {@code fd} in raw mode ({@code cfmakeraw}: no echo, no line editing, no signals
     * from keys, no output processing) and returns its previous settings for {@link #restore}.
     */
    public static byte[] makeRaw(int fd) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment t = arena.allocate(TERMIOS);
            MemorySegment state = Native.callState(arena);
            Calls.check((int) tcgetattr.invokeExact(state, fd, t), state, "tcgetattr", "fd " + fd);
            byte[] saved = t.toArray(ValueLayout.JAVA_BYTE);
            cfmakeraw.invokeExact(t);
            Calls.check((int) tcsetattr.invokeExact(state, fd, TCSADRAIN, t), state, "tcsetattr", "fd " + fd);
            return saved;
        } catch (Throwable t) {
            throw Calls.rethrow(t);
        }
    }

    /** Restores settings {@link #makeRaw} returned. */
    public static void restore(int fd, byte[] saved) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment t = arena.allocate(TERMIOS);
            t.copyFrom(MemorySegment.ofArray(saved));
            MemorySegment state = Native.callState(arena);
            Calls.check((int) tcsetattr.invokeExact(state, fd, TCSADRAIN, t), state, "tcsetattr", "fd " + fd);
        } catch (Throwable t) {
            throw Calls.rethrow(t);
        }
    }
}
