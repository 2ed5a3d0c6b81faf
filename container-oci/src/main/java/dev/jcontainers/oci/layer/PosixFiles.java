package dev.jcontainers.oci.layer;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The few libc file calls NIO lacks for layers: device nodes, FIFOs, ownership and times of symlinks
 * themselves, every xattr namespace (NIO only reaches {@code user.*}), full mode bits (setuid, setgid,
 * sticky) and exact symlink targets. Every call acts on the path itself, never on a symlink's target.
 * Failures are {@link IOException}s naming the call, the path and the errno. Needs
 * {@code --enable-native-access=ALL-UNNAMED} (or the module's name) at run time.
 */
@SuppressWarnings("restricted")
final class PosixFiles {
    static final int S_IFCHR = 0020000;
    static final int S_IFBLK = 0060000;
    private static final int AT_FDCWD = -100;
    private static final int AT_SYMLINK_NOFOLLOW = 0x100;
    private static final int ENODATA = 61;
    private static final int ERANGE = 34;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LIBC = LINKER.defaultLookup();
    private static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO =
            CALL_STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final Linker.Option CAPTURE_ERRNO = Linker.Option.captureCallState("errno");
    private static final StructLayout TIMESPEC = MemoryLayout.structLayout(
            JAVA_LONG.withName("tv_sec"), JAVA_LONG.withName("tv_nsec"));

    private static final MethodHandle MKNOD = errnoCall("mknod", JAVA_INT, ADDRESS, JAVA_INT, JAVA_LONG);
    private static final MethodHandle MKFIFO = errnoCall("mkfifo", JAVA_INT, ADDRESS, JAVA_INT);
    private static final MethodHandle LCHOWN = errnoCall("lchown", JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT);
    private static final MethodHandle FCHMODAT = errnoCall("fchmodat", JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT);
    private static final MethodHandle UTIMENSAT = errnoCall("utimensat", JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, JAVA_INT);
    private static final MethodHandle SYMLINK = errnoCall("symlink", JAVA_INT, ADDRESS, ADDRESS);
    private static final MethodHandle READLINK = errnoCall("readlink", JAVA_LONG, ADDRESS, ADDRESS, JAVA_LONG);
    private static final MethodHandle LSETXATTR =
            errnoCall("lsetxattr", JAVA_INT, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG, JAVA_INT);
    private static final MethodHandle LGETXATTR =
            errnoCall("lgetxattr", JAVA_LONG, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG);
    private static final MethodHandle LLISTXATTR = errnoCall("llistxattr", JAVA_LONG, ADDRESS, ADDRESS, JAVA_LONG);
    private static final MethodHandle STRERROR = LINKER.downcallHandle(
            LIBC.findOrThrow("strerror"), FunctionDescriptor.of(ADDRESS.withTargetLayout(
                    MemoryLayout.sequenceLayout(256, ValueLayout.JAVA_BYTE)), JAVA_INT));

    private PosixFiles() {
    }

    private static MethodHandle errnoCall(String name, ValueLayout result, MemoryLayout... args) {
        return LINKER.downcallHandle(LIBC.findOrThrow(name), FunctionDescriptor.of(result, args), CAPTURE_ERRNO);
    }

    /** True when this process runs with effective uid 0. */
    static boolean isRoot() {
        return Euid.isRoot();
    }

    /**
     * The effective uid apart from the other bindings: {@link UnpackOptions#defaults()} asks for it on every engine
     * start, which unpacks nothing. It is read from {@code /proc}: a first downcall there linked the FFM machinery
     * for one {@code geteuid}, about 10 ms of a cold {@code jc run}. The calling thread's status file, as
     * {@code geteuid} answers for the calling thread; the call itself only where {@code /proc} is missing.
     */
    static final class Euid {
        private static final Path STATUS = Path.of("/proc/thread-self/status");

        private Euid() {
        }

        static boolean isRoot() {
            return effectiveUid() == 0;
        }

        static long effectiveUid() {
            List<String> lines;
            try {
                lines = Files.readAllLines(STATUS);
            } catch (IOException e) {
                return Call.geteuid();
            }
            return fromStatus(lines);
        }

        /** The second of {@code Uid:}'s real, effective, saved and filesystem uids. */
        static long fromStatus(List<String> lines) {
            for (String line : lines) {
                if (line.startsWith("Uid:")) {
                    String[] ids = line.substring(4).strip().split("\t");
                    if (ids.length == 4) {
                        return Long.parseLong(ids[1]);
                    }
                }
            }
            throw new IllegalStateException("no Uid line with four ids in " + STATUS);
        }

        static final class Call {
            // geteuid(2) through syscall(2) in exactly the shape (descriptor and options) that
            // dev.jcontainers.linux.ffm.Syscall links for every system call, so the linker serves both from one stub
            private static final MethodHandle SYSCALL = Linker.nativeLinker().downcallHandle(
                    Linker.nativeLinker().defaultLookup().findOrThrow("syscall"),
                    FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG,
                            JAVA_LONG),
                    Linker.Option.captureCallState("errno"), Linker.Option.firstVariadicArg(1));
            // the engine's two architectures; elsewhere -1, which the kernel answers with ENOSYS: "not root"
            private static final long SYS_GETEUID = switch (System.getProperty("os.arch")) {
                case "amd64", "x86_64" -> 107;
                case "aarch64" -> 175;
                default -> -1;
            };

            static long geteuid() {
                try (Arena arena = Arena.ofConfined()) {
                    MemorySegment state = arena.allocate(Linker.Option.captureStateLayout());
                    return (long) SYSCALL.invokeExact(state, SYS_GETEUID, 0L, 0L, 0L, 0L, 0L, 0L);
                } catch (Throwable t) {
                    throw new IllegalStateException(t);
                }
            }
        }
    }

    /** Linux's {@code makedev}: the 64-bit dev_t of a major/minor pair. */
    static long makedev(long major, long minor) {
        return ((major & 0xfffff000L) << 32) | ((major & 0xfffL) << 8)
                | ((minor & 0xffffff00L) << 12) | (minor & 0xffL);
    }

    static long major(long dev) {
        return ((dev >>> 32) & 0xfffff000L) | ((dev >>> 8) & 0xfffL);
    }

    static long minor(long dev) {
        return ((dev >>> 12) & 0xffffff00L) | (dev & 0xffL);
    }

    /** Creates a character ({@link #S_IFCHR}) or block ({@link #S_IFBLK}) device node. */
    static void mknod(Path path, int type, int mode, long major, long minor) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            int rc = (int) MKNOD.invokeExact(state, cString(arena, path), type | (mode & 07777), makedev(major, minor));
            check(rc, state, "mknod", path);
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    static void mkfifo(Path path, int mode) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            int rc = (int) MKFIFO.invokeExact(state, cString(arena, path), mode & 07777);
            check(rc, state, "mkfifo", path);
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** Sets numeric owner and group of the path itself (a symlink is not followed). */
    static void lchown(Path path, long uid, long gid) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            int rc = (int) LCHOWN.invokeExact(state, cString(arena, path), (int) uid, (int) gid);
            check(rc, state, "lchown", path);
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** Sets all twelve mode bits, setuid, setgid and sticky included. Linux cannot chmod a symlink. */
    static void chmod(Path path, int mode) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            int rc = (int) FCHMODAT.invokeExact(state, AT_FDCWD, cString(arena, path), mode & 07777, 0);
            check(rc, state, "fchmodat", path);
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** Sets access and modification time of the path itself, symlinks included. */
    static void setMtime(Path path, long epochSecond, int nanos) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            MemorySegment times = arena.allocate(TIMESPEC, 2);
            for (int i = 0; i < 2; i++) {
                times.setAtIndex(JAVA_LONG, 2L * i, epochSecond);
                times.setAtIndex(JAVA_LONG, 2L * i + 1, nanos);
            }
            int rc = (int) UTIMENSAT.invokeExact(state, AT_FDCWD, cString(arena, path), times, AT_SYMLINK_NOFOLLOW);
            check(rc, state, "utimensat", path);
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** Creates a symlink whose target is exactly {@code target}, byte for byte (NIO would normalise it). */
    static void symlink(String target, Path link) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            int rc = (int) SYMLINK.invokeExact(state, arena.allocateFrom(target, StandardCharsets.UTF_8),
                    cString(arena, link));
            check(rc, state, "symlink", link);
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** The symlink's target exactly as stored. */
    static String readlink(Path link) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            MemorySegment name = cString(arena, link);
            for (long size = 256; ; size *= 4) {
                MemorySegment buffer = arena.allocate(size);
                long n = (long) READLINK.invokeExact(state, name, buffer, size);
                check(n, state, "readlink", link);
                if (n < size) {
                    return new String(buffer.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8);
                }
            }
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** Sets an extended attribute of any namespace on the path itself. */
    static void setXattr(Path path, String name, byte[] value) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            MemorySegment bytes = arena.allocate(Math.max(1, value.length));
            MemorySegment.copy(value, 0, bytes, ValueLayout.JAVA_BYTE, 0, value.length);
            int rc = (int) LSETXATTR.invokeExact(state, cString(arena, path),
                    arena.allocateFrom(name, StandardCharsets.UTF_8), bytes, (long) value.length, 0);
            check(rc, state, "lsetxattr " + name, path);
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** The attribute's value, or null when the path does not have it. */
    static byte[] getXattr(Path path, String name) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            MemorySegment cPath = cString(arena, path);
            MemorySegment cName = arena.allocateFrom(name, StandardCharsets.UTF_8);
            for (long size = 256; ; size *= 4) {
                MemorySegment buffer = arena.allocate(size);
                long n = (long) LGETXATTR.invokeExact(state, cPath, cName, buffer, size);
                if (n >= 0) {
                    return buffer.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE);
                }
                int errno = (int) ERRNO.get(state, 0L);
                if (errno == ENODATA) {
                    return null;
                }
                if (errno != ERANGE) {
                    check(n, state, "lgetxattr " + name, path);
                }
            }
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** Names of the path's extended attributes, in the order the filesystem lists them. */
    static List<String> listXattrs(Path path) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            MemorySegment cPath = cString(arena, path);
            for (long size = 1024; ; size *= 4) {
                MemorySegment buffer = arena.allocate(size);
                long n = (long) LLISTXATTR.invokeExact(state, cPath, buffer, size);
                if (n < 0 && (int) ERRNO.get(state, 0L) == ERANGE) {
                    continue;
                }
                check(n, state, "llistxattr", path);
                List<String> names = new ArrayList<>();
                byte[] list = buffer.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE);
                int start = 0;
                for (int i = 0; i < list.length; i++) {
                    if (list[i] == 0) {
                        names.add(new String(list, start, i - start, StandardCharsets.UTF_8));
                        start = i + 1;
                    }
                }
                return names;
            }
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    private static MemorySegment cString(Arena arena, Path path) {
        return arena.allocateFrom(path.toString(), StandardCharsets.UTF_8);
    }

    private static void check(long rc, MemorySegment state, String call, Path path) throws IOException {
        if (rc < 0) {
            int errno = (int) ERRNO.get(state, 0L);
            throw new IOException(call + " " + path + ": " + strerror(errno) + " (errno " + errno + ")");
        }
    }

    private static String strerror(int errno) {
        try {
            MemorySegment message = (MemorySegment) STRERROR.invokeExact(errno);
            return message.getString(0, StandardCharsets.UTF_8);
        } catch (Throwable t) {
            return "error";
        }
    }
}
