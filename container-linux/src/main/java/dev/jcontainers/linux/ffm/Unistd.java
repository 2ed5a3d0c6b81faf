package dev.jcontainers.linux.ffm;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * {@code fcntl.h} / {@code unistd.h}: the raw file descriptors the mount API and {@code setns} take and
 * return, which {@code java.nio} cannot hand out. See {@code src/main/ffm/unistd.txt}.
 */
public final class Unistd {
    private Unistd() {
    }

    public static final int O_RDONLY = 0;
    public static final int O_DIRECTORY = 0200000;
    public static final int O_NOFOLLOW = 0400000;
    public static final int O_CLOEXEC = 02000000;
    public static final int O_PATH = 010000000;

    /** {@code AT_FDCWD}: "relative to the working directory" for the *at() calls. */
    public static final int AT_FDCWD = -100;
    public static final int AT_SYMLINK_NOFOLLOW = 0x100;
    public static final int AT_EMPTY_PATH = 0x1000;
    public static final int AT_RECURSIVE = 0x8000;

    // open(2) is variadic only for the mode of O_CREAT, which these bindings never pass: declared with the
    // two fixed parameters, the call is ABI-identical on x86-64 and aarch64 Linux.
    /** Raw handles, called with a call-state segment first (see {@link Native#downcall}). */
    public static final MethodHandle close = Native.downcall("close", FunctionDescriptor.of(Native.C_INT, Native.C_INT));
    public static final MethodHandle pipe2 = Native.downcall("pipe2",
            FunctionDescriptor.of(Native.C_INT, Native.C_POINTER, Native.C_INT));
    public static final MethodHandle read = Native.downcall("read",
            FunctionDescriptor.of(Native.C_SSIZE_T, Native.C_INT, Native.C_POINTER, Native.C_SIZE_T));
    public static final MethodHandle write = Native.downcall("write",
            FunctionDescriptor.of(Native.C_SSIZE_T, Native.C_INT, Native.C_POINTER, Native.C_SIZE_T));
    public static final MethodHandle geteuid = Native.downcallNoErrno("geteuid", FunctionDescriptor.of(Native.C_UINT));

    private static final MethodHandle OPEN = Native.downcall("open",
            FunctionDescriptor.of(Native.C_INT, Native.C_POINTER, Native.C_INT));
    private static final MethodHandle CLOSE = Native.downcall("close",
            FunctionDescriptor.of(Native.C_INT, Native.C_INT));
    private static final MethodHandle READ = Native.downcall("read",
            FunctionDescriptor.of(Native.C_SSIZE_T, Native.C_INT, Native.C_POINTER, Native.C_SIZE_T));

    /** {@code open(path, flags)} without O_CREAT (so no mode); returns the descriptor. */
    public static int open(Path path, int flags) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Native.callState(arena);
            int fd = (int) OPEN.invokeExact(state, Calls.cString(arena, path.toString()), flags);
            if (fd < 0) {
                throw new LinuxException("open", path.toString(), Native.errno(state));
            }
            return fd;
        } catch (Throwable t) {
            throw Calls.rethrow(t);
        }
    }

    /** {@code close(fd)}; an error (other than EINTR, after which the fd is gone anyway) is thrown. */
    public static void close(int fd) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Native.callState(arena);
            int rc = (int) CLOSE.invokeExact(state, fd);
            if (rc != 0 && Native.errno(state) != Errno.EINTR) {
                throw new LinuxException("close", "fd " + fd, Native.errno(state));
            }
        } catch (Throwable t) {
            throw Calls.rethrow(t);
        }
    }

    /**
     * One {@code read(fd, buf, max)} as text; empty at end of file. Returns null instead of throwing when
     * the read fails with {@code errnoMeaningNothing} (e.g. ENODATA from an empty fs-context log).
     */
    public static String readText(int fd, int max, int errnoMeaningNothing) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Native.callState(arena);
            MemorySegment buf = arena.allocate(max);
            long n = (long) READ.invokeExact(state, fd, buf, (long) max);
            if (n < 0) {
                int errno = Native.errno(state);
                if (errno == errnoMeaningNothing) {
                    return null;
                }
                throw new LinuxException("read", "fd " + fd, errno);
            }
            return new String(buf.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE),
                    StandardCharsets.UTF_8);
        } catch (Throwable t) {
            throw Calls.rethrow(t);
        }
    }
}
