package dev.jcontainers.linux.ffm;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;

/**
 * The {@code *at()} calls relative to a directory descriptor, and {@code openat2(2)} (Linux 5.6; no glibc
 * wrapper, called through {@code syscall}), whose {@code RESOLVE_IN_ROOT} resolves a path as if the
 * descriptor were {@code /}: {@code ..} and absolute symlinks stay inside it. See
 * {@code src/main/ffm/fileat.txt}; layouts and constants checked against gcc by {@code FfmLayoutTest}.
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

    /** {@code openat2(dirfd, path, struct open_how *, size)}. */
    public static final MethodHandle openat2 = Calls.syscall(SYS_OPENAT2,
            FunctionDescriptor.of(Native.C_INT, Native.C_INT, Native.C_POINTER, Native.C_POINTER, Native.C_SIZE_T));
    /** {@code openat(dirfd, path, flags, mode)}: variadic for the mode of O_CREAT. */
    public static final MethodHandle openat = Native.LINKER.downcallHandle(Native.LIBC.find("openat").orElseThrow(),
            FunctionDescriptor.of(Native.C_INT, Native.C_INT, Native.C_POINTER, Native.C_INT, Native.C_UINT),
            Linker.Option.captureCallState("errno"), Linker.Option.firstVariadicArg(3));
    public static final MethodHandle mkdirat = Native.downcall("mkdirat",
            FunctionDescriptor.of(Native.C_INT, Native.C_INT, Native.C_POINTER, Native.C_UINT));
    public static final MethodHandle symlinkat = Native.downcall("symlinkat",
            FunctionDescriptor.of(Native.C_INT, Native.C_POINTER, Native.C_INT, Native.C_POINTER));
    public static final MethodHandle linkat = Native.downcall("linkat",
            FunctionDescriptor.of(Native.C_INT, Native.C_INT, Native.C_POINTER, Native.C_INT, Native.C_POINTER, Native.C_INT));
    public static final MethodHandle unlinkat = Native.downcall("unlinkat",
            FunctionDescriptor.of(Native.C_INT, Native.C_INT, Native.C_POINTER, Native.C_INT));
    public static final MethodHandle readlinkat = Native.downcall("readlinkat",
            FunctionDescriptor.of(Native.C_SSIZE_T, Native.C_INT, Native.C_POINTER, Native.C_POINTER, Native.C_SIZE_T));
    public static final MethodHandle fchownat = Native.downcall("fchownat",
            FunctionDescriptor.of(Native.C_INT, Native.C_INT, Native.C_POINTER, Native.C_UINT, Native.C_UINT, Native.C_INT));
    public static final MethodHandle fchmod = Native.downcall("fchmod",
            FunctionDescriptor.of(Native.C_INT, Native.C_INT, Native.C_UINT));
    public static final MethodHandle fchown = Native.downcall("fchown",
            FunctionDescriptor.of(Native.C_INT, Native.C_INT, Native.C_UINT, Native.C_UINT));

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
            int fd = (int) openat2.invokeExact(state, dirfd, arena.allocateFrom(path), how, OPEN_HOW.byteSize());
            return (int) Calls.check(fd, state, "openat2", path);
        } catch (Throwable t) {
            throw Calls.rethrow(t);
        }
    }

    /** {@code openat(dirfd, name, flags | O_CLOEXEC, mode)}; returns the descriptor. */
    public static int openat(int dirfd, String name, int flags, int mode) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Native.callState(arena);
            int fd = (int) openat.invokeExact(state, dirfd, arena.allocateFrom(name), flags | O_CLOEXEC, mode);
            return (int) Calls.check(fd, state, "openat", name);
        } catch (Throwable t) {
            throw Calls.rethrow(t);
        }
    }

    public static void mkdirat(int dirfd, String name, int mode) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Native.callState(arena);
            Calls.check((int) mkdirat.invokeExact(state, dirfd, arena.allocateFrom(name), mode), state, "mkdirat", name);
        } catch (Throwable t) {
            throw Calls.rethrow(t);
        }
    }

    public static void symlinkat(String target, int dirfd, String name) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Native.callState(arena);
            Calls.check((int) symlinkat.invokeExact(state, arena.allocateFrom(target), dirfd, arena.allocateFrom(name)),
                    state, "symlinkat", name);
        } catch (Throwable t) {
            throw Calls.rethrow(t);
        }
    }

    /** A hard link named {@code name} in {@code dirfd} to the file open as {@code fd} (needs CAP_DAC_READ_SEARCH). */
    public static void linkFd(int fd, int dirfd, String name) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Native.callState(arena);
            Calls.check((int) linkat.invokeExact(state, fd, arena.allocateFrom(""), dirfd, arena.allocateFrom(name),
                    AT_EMPTY_PATH), state, "linkat", name);
        } catch (Throwable t) {
            throw Calls.rethrow(t);
        }
    }

    /** Removes {@code name} (a directory with {@link #AT_REMOVEDIR}); false when it did not exist. */
    public static boolean unlinkat(int dirfd, String name, int flags) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Native.callState(arena);
            int rc = (int) unlinkat.invokeExact(state, dirfd, arena.allocateFrom(name), flags);
            if (rc < 0 && Native.errno(state) == Errno.ENOENT) {
                return false;
            }
            Calls.check(rc, state, "unlinkat", name);
            return true;
        } catch (Throwable t) {
            throw Calls.rethrow(t);
        }
    }

    /** The target of the symlink open as {@code fd} ({@code O_PATH | O_NOFOLLOW}). */
    public static String readlink(int fd) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(4097);
            MemorySegment state = Native.callState(arena);
            long n = (long) readlinkat.invokeExact(state, fd, arena.allocateFrom(""), buf, 4097L);
            Calls.check(n, state, "readlinkat", "fd " + fd);
            return new String(buf.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8);
        } catch (Throwable t) {
            throw Calls.rethrow(t);
        }
    }

    /** {@code lchown} of {@code name} in {@code dirfd}: never follows a symlink. */
    public static void lchownat(int dirfd, String name, long uid, long gid) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Native.callState(arena);
            Calls.check((int) fchownat.invokeExact(state, dirfd, arena.allocateFrom(name), (int) uid, (int) gid,
                    AT_SYMLINK_NOFOLLOW), state, "fchownat", name);
        } catch (Throwable t) {
            throw Calls.rethrow(t);
        }
    }

    public static void fchmod(int fd, int mode) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Native.callState(arena);
            Calls.check((int) fchmod.invokeExact(state, fd, mode), state, "fchmod", "fd " + fd);
        } catch (Throwable t) {
            throw Calls.rethrow(t);
        }
    }

    public static void fchown(int fd, long uid, long gid) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Native.callState(arena);
            Calls.check((int) fchown.invokeExact(state, fd, (int) uid, (int) gid), state, "fchown", "fd " + fd);
        } catch (Throwable t) {
            throw Calls.rethrow(t);
        }
    }
}
