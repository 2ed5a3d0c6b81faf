package dev.jcontainers.linux.ffm;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
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
    public static final long TCGETS = 0x5401;
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

    // isatty and the window size are ioctls made through Syscall; libc's termios functions (which convert
    // between its struct termios and the kernel's) are linked on first use, by makeRaw
    private static final class Libc {
        static final MethodHandle TCGETATTR = Native.downcall("tcgetattr",
                FunctionDescriptor.of(Native.C_INT, Native.C_INT, Native.C_POINTER));
        static final MethodHandle TCSETATTR = Native.downcall("tcsetattr",
                FunctionDescriptor.of(Native.C_INT, Native.C_INT, Native.C_INT, Native.C_POINTER));
        static final MethodHandle CFMAKERAW = Native.downcallNoErrno("cfmakeraw",
                FunctionDescriptor.ofVoid(Native.C_POINTER));
    }

    /** A terminal's size, rows by columns. */
    public record Size(int rows, int cols) {
    }

    /** {@code isatty(fd)}: whether the terminal settings can be read ({@code TCGETS}), as libc asks. */
    public static boolean isTerminal(int fd) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment settings = arena.allocate(TERMIOS); // larger than the kernel's struct termios
            return Syscall.IOCTL.call(Native.callState(arena), fd, TCGETS, settings.address()) == 0;
        }
    }

    /** The size of the terminal on {@code fd}; empty when it is not a terminal or reports none. */
    public static Optional<Size> size(int fd) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment ws = arena.allocate(WINSIZE);
            long rc = Syscall.IOCTL.call(Native.callState(arena), fd, TIOCGWINSZ, ws.address());
            int rows = Short.toUnsignedInt(ws.get(ValueLayout.JAVA_SHORT, 0));
            int cols = Short.toUnsignedInt(ws.get(ValueLayout.JAVA_SHORT, 2));
            return rc == 0 && rows > 0 && cols > 0 ? Optional.of(new Size(rows, cols)) : Optional.empty();
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
            Calls.check((int) Libc.TCGETATTR.invokeExact(state, fd, t), state, "tcgetattr", "fd " + fd);
            byte[] saved = t.toArray(ValueLayout.JAVA_BYTE);
            Libc.CFMAKERAW.invokeExact(t);
            Calls.check((int) Libc.TCSETATTR.invokeExact(state, fd, TCSADRAIN, t), state, "tcsetattr", "fd " + fd);
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
            Calls.check((int) Libc.TCSETATTR.invokeExact(state, fd, TCSADRAIN, t), state, "tcsetattr", "fd " + fd);
        } catch (Throwable t) {
            throw Calls.rethrow(t);
        }
    }
}
