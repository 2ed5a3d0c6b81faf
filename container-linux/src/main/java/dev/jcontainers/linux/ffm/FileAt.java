package dev.jcontainers.linux.ffm;

import java.lang.foreign.Arena;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;

/**
 * The {@code *at()} calls relative to a directory descriptor, and {@code openat2(2)} (Linux 5.6), whose
 * {@code RESOLVE_IN_ROOT} resolves a path as if the descriptor were {@code /}: {@code ..} and absolute symlinks
 * stay inside it. All are made as system calls ({@link Syscall}). See {@code src/main/ffm/fileat.txt}; layouts and
 * constants checked against gcc by {@code FfmLayoutTest}.
 */
public final class FileAt {
    private FileAt() {
    }

    public static final int O_RDONLY = 0;
    public static final int O_WRONLY = 01;
    public static final int O_CREAT = 0100;
    public static final int O_EXCL = 0200;
    public static final int O_DIRECTORY = 0200000;
    public static final int O_NOFOLLOW = 0400000;
    public static final int O_CLOEXEC = 02000000;
    public static final int O_PATH = 010000000;
    public static final int AT_SYMLINK_NOFOLLOW = 0x100;
    public static final int AT_REMOVEDIR = 0x200;
    public static final int AT_EMPTY_PATH = 0x1000;
    public static final long RESOLVE_NO_XDEV = 0x01;
    public static final long RESOLVE_NO_MAGICLINKS = 0x02;
    public static final long RESOLVE_NO_SYMLINKS = 0x04;
    public static final long RESOLVE_BENEATH = 0x08;
    public static final long RESOLVE_IN_ROOT = 0x10;
    public static final int SYS_OPENAT2 = 437;

    public static final StructLayout OPEN_HOW = MemoryLayout.structLayout(
            ValueLayout.JAVA_LONG.withName("flags"),
            ValueLayout.JAVA_LONG.withName("mode"),
            ValueLayout.JAVA_LONG.withName("resolve")).withName("open_how");

    /**
     * {@code openat2(dirfd, path, flags | O_CLOEXEC, resolve)}; returns the descriptor.
     *
     * @throws LinuxException with the errno (ENOENT, ELOOP for a magic link or a refused symlink, EXDEV, ...)
     */
    public static int openat2(int dirfd, String path, int flags, long resolve) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment how = arena.allocate(OPEN_HOW);
            how.set(ValueLayout.JAVA_LONG, 0, Integer.toUnsignedLong(flags | O_CLOEXEC));
            how.set(ValueLayout.JAVA_LONG, 16, resolve);
            MemorySegment state = Native.callState(arena);
            long fd = Syscall.OPENAT2.call(state, dirfd, arena.allocateFrom(path).address(), how.address(),
                    OPEN_HOW.byteSize());
            return (int) Calls.check(fd, state, "openat2", path);
        }
    }

    /** {@code openat(dirfd, name, flags | O_CLOEXEC, mode)}; returns the descriptor. */
    public static int openat(int dirfd, String name, int flags, int mode) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Native.callState(arena);
            long fd = Syscall.OPENAT.call(state, dirfd, arena.allocateFrom(name).address(), flags | O_CLOEXEC, mode);
            return (int) Calls.check(fd, state, "openat", name);
        }
    }

    public static void mkdirat(int dirfd, String name, int mode) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Native.callState(arena);
            long rc = Syscall.MKDIRAT.call(state, dirfd, arena.allocateFrom(name).address(), mode);
            Calls.check(rc, state, "mkdirat", name);
        }
    }

    public static void symlinkat(String target, int dirfd, String name) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Native.callState(arena);
            Calls.check(Syscall.SYMLINKAT.call(state, arena.allocateFrom(target).address(), dirfd,
                    arena.allocateFrom(name).address()),
                    state, "symlinkat", name);
        }
    }

    /** A hard link named {@code name} in {@code dirfd} to the file open as {@code fd} (needs CAP_DAC_READ_SEARCH). */
    public static void linkFd(int fd, int dirfd, String name) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Native.callState(arena);
            long rc = Syscall.LINKAT.call(state, fd, arena.allocateFrom("").address(), dirfd,
                    arena.allocateFrom(name).address(), AT_EMPTY_PATH);
            Calls.check(rc, state, "linkat", name);
        }
    }

    /** Removes {@code name} (a directory with {@link #AT_REMOVEDIR}); false when it did not exist. */
    public static boolean unlinkat(int dirfd, String name, int flags) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Native.callState(arena);
            long rc = Syscall.UNLINKAT.call(state, dirfd, arena.allocateFrom(name).address(), flags);
            if (rc < 0 && Native.errno(state) == Errno.ENOENT) {
                return false;
            }
            Calls.check(rc, state, "unlinkat", name);
            return true;
        }
    }

    /** The target of the symlink open as {@code fd} ({@code O_PATH | O_NOFOLLOW}). */
    public static String readlink(int fd) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(4097);
            MemorySegment state = Native.callState(arena);
            long n = Syscall.READLINKAT.call(state, fd, arena.allocateFrom("").address(), buf.address(), 4097L);
            Calls.check(n, state, "readlinkat", "fd " + fd);
            return new String(buf.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8);
        }
    }

    /** {@code lchown} of {@code name} in {@code dirfd}: never follows a symlink. */
    public static void lchownat(int dirfd, String name, long uid, long gid) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Native.callState(arena);
            Calls.check(Syscall.FCHOWNAT.call(state, dirfd, arena.allocateFrom(name).address(), uid, gid,
                    AT_SYMLINK_NOFOLLOW), state, "fchownat", name);
        }
    }

    public static void fchmod(int fd, int mode) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Native.callState(arena);
            Calls.check(Syscall.FCHMOD.call(state, fd, mode), state, "fchmod", "fd " + fd);
        }
    }

    public static void fchown(int fd, long uid, long gid) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Native.callState(arena);
            Calls.check(Syscall.FCHOWN.call(state, fd, uid, gid), state, "fchown", "fd " + fd);
        }
    }
}
