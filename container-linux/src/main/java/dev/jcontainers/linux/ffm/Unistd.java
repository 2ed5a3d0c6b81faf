package dev.jcontainers.linux.ffm;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
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

    /** Raw {@code read(2)}: the count, or -1 with errno in {@code callState} (see {@link Native#callState}). */
    public static long read(MemorySegment callState, int fd, MemorySegment buf, long count) {
        return Syscall.READ.call(callState, fd, buf.address(), count);
    }

    /** Raw {@code write(2)}: the count, or -1 with errno in {@code callState}. */
    public static long write(MemorySegment callState, int fd, MemorySegment buf, long count) {
        return Syscall.WRITE.call(callState, fd, buf.address(), count);
    }

    /** Raw {@code pipe2(2)} into the two ints of {@code fds}: 0, or -1 with errno in {@code callState}. */
    public static int pipe2(MemorySegment callState, MemorySegment fds, int flags) {
        return (int) Syscall.PIPE2.call(callState, fds.address(), flags);
    }

    /** Raw {@code close(2)}: 0, or -1 with errno in {@code callState}. */
    public static int close(MemorySegment callState, int fd) {
        return (int) Syscall.CLOSE.call(callState, fd);
    }

    /** {@code geteuid(2)}, which cannot fail. */
    public static int geteuid() {
        try (Arena arena = Arena.ofConfined()) {
            return (int) Syscall.GETEUID.call(Native.callState(arena));
        }
    }

    /** {@code open(path, flags)} without O_CREAT (so no mode); returns the descriptor. */
    public static int open(Path path, int flags) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Native.callState(arena);
            int fd = (int) Syscall.OPENAT.call(state, AT_FDCWD, Calls.cString(arena, path.toString()).address(), flags);
            if (fd < 0) {
                throw new LinuxException("open", path.toString(), Native.errno(state));
            }
            return fd;
        }
    }

    /** {@code close(fd)}; an error (other than EINTR, after which the fd is gone anyway) is thrown. */
    public static void close(int fd) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Native.callState(arena);
            int rc = close(state, fd);
            if (rc != 0 && Native.errno(state) != Errno.EINTR) {
                throw new LinuxException("close", "fd " + fd, Native.errno(state));
            }
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
            long n = read(state, fd, buf, max);
            if (n < 0) {
                int errno = Native.errno(state);
                if (errno == errnoMeaningNothing) {
                    return null;
                }
                throw new LinuxException("read", "fd " + fd, errno);
            }
            return new String(buf.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE),
                    StandardCharsets.UTF_8);
        }
    }
}
