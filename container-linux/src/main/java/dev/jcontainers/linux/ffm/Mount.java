package dev.jcontainers.linux.ffm;

import static dev.jcontainers.linux.ffm.Calls.cString;
import static dev.jcontainers.linux.ffm.Calls.check;
import static dev.jcontainers.linux.ffm.Calls.rethrow;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code sys/mount.h}: mount(2), umount2(2) and the file-descriptor based mount API (fsopen, fsconfig,
 * fsmount, move_mount, open_tree, fspick, mount_setattr). Headers and symbols: {@code src/main/ffm/mount.txt};
 * struct layout and constants checked against the C headers by {@code FfmLayoutTest}.
 *
 * <p>Each method throws {@link LinuxException} naming the call, its object and errno on failure.
 */
public final class Mount {
    private Mount() {
    }

    // mount(2) flags
    public static final long MS_RDONLY = 1;
    public static final long MS_NOSUID = 2;
    public static final long MS_NODEV = 4;
    public static final long MS_NOEXEC = 8;
    public static final long MS_REMOUNT = 32;
    public static final long MS_NOATIME = 1024;
    public static final long MS_BIND = 4096;
    public static final long MS_MOVE = 8192;
    public static final long MS_REC = 16384;
    public static final long MS_SILENT = 32768;
    public static final long MS_UNBINDABLE = 1 << 17;
    public static final long MS_PRIVATE = 1 << 18;
    public static final long MS_SLAVE = 1 << 19;
    public static final long MS_SHARED = 1 << 20;
    public static final long MS_RELATIME = 1 << 21;

    // umount2(2) flags
    public static final int MNT_FORCE = 1;
    public static final int MNT_DETACH = 2;
    public static final int MNT_EXPIRE = 4;
    public static final int UMOUNT_NOFOLLOW = 8;

    // the new mount API
    public static final int FSOPEN_CLOEXEC = 1;
    public static final int FSPICK_CLOEXEC = 1;
    public static final int FSMOUNT_CLOEXEC = 1;
    public static final int FSCONFIG_SET_FLAG = 0;
    public static final int FSCONFIG_SET_STRING = 1;
    public static final int FSCONFIG_SET_BINARY = 2;
    public static final int FSCONFIG_SET_PATH = 3;
    public static final int FSCONFIG_SET_PATH_EMPTY = 4;
    public static final int FSCONFIG_SET_FD = 5;
    public static final int FSCONFIG_CMD_CREATE = 6;
    public static final int FSCONFIG_CMD_RECONFIGURE = 7;
    public static final int MOUNT_ATTR_RDONLY = 0x1;
    public static final int MOUNT_ATTR_NOSUID = 0x2;
    public static final int MOUNT_ATTR_NODEV = 0x4;
    public static final int MOUNT_ATTR_NOEXEC = 0x8;
    public static final int MOUNT_ATTR_NOATIME = 0x10;
    public static final int MOUNT_ATTR_IDMAP = 0x100000;
    public static final int MOUNT_ATTR_NOSYMFOLLOW = 0x200000;
    public static final int MOVE_MOUNT_F_EMPTY_PATH = 0x4;
    public static final int MOVE_MOUNT_T_EMPTY_PATH = 0x40;
    public static final int OPEN_TREE_CLONE = 1;
    public static final int OPEN_TREE_CLOEXEC = Unistd.O_CLOEXEC;

    /** {@code struct mount_attr} (MOUNT_ATTR_SIZE_VER0 = 32 bytes). */
    public static final StructLayout MOUNT_ATTR = MemoryLayout.structLayout(
            ValueLayout.JAVA_LONG.withName("attr_set"),
            ValueLayout.JAVA_LONG.withName("attr_clr"),
            ValueLayout.JAVA_LONG.withName("propagation"),
            ValueLayout.JAVA_LONG.withName("userns_fd")).withName("mount_attr");
    private static final VarHandle ATTR_SET = field("attr_set");
    private static final VarHandle ATTR_CLR = field("attr_clr");
    private static final VarHandle PROPAGATION = field("propagation");
    private static final VarHandle USERNS_FD = field("userns_fd");

    private static final MethodHandle MOUNT = Native.downcall("mount", FunctionDescriptor.of(Native.C_INT,
            Native.C_POINTER, Native.C_POINTER, Native.C_POINTER, Native.C_ULONG, Native.C_POINTER));
    private static final MethodHandle UMOUNT2 = Native.downcall("umount2",
            FunctionDescriptor.of(Native.C_INT, Native.C_POINTER, Native.C_INT));
    private static final MethodHandle OPEN_TREE = Calls.symbolOrSyscall("open_tree", 428,
            FunctionDescriptor.of(Native.C_INT, Native.C_INT, Native.C_POINTER, Native.C_UINT));
    private static final MethodHandle MOVE_MOUNT = Calls.symbolOrSyscall("move_mount", 429,
            FunctionDescriptor.of(Native.C_INT, Native.C_INT, Native.C_POINTER, Native.C_INT, Native.C_POINTER,
                    Native.C_UINT));
    private static final MethodHandle FSOPEN = Calls.symbolOrSyscall("fsopen", 430,
            FunctionDescriptor.of(Native.C_INT, Native.C_POINTER, Native.C_UINT));
    private static final MethodHandle FSCONFIG = Calls.symbolOrSyscall("fsconfig", 431,
            FunctionDescriptor.of(Native.C_INT, Native.C_INT, Native.C_UINT, Native.C_POINTER, Native.C_POINTER,
                    Native.C_INT));
    private static final MethodHandle FSMOUNT = Calls.symbolOrSyscall("fsmount", 432,
            FunctionDescriptor.of(Native.C_INT, Native.C_INT, Native.C_UINT, Native.C_UINT));
    private static final MethodHandle FSPICK = Calls.symbolOrSyscall("fspick", 433,
            FunctionDescriptor.of(Native.C_INT, Native.C_INT, Native.C_POINTER, Native.C_UINT));
    private static final MethodHandle MOUNT_SETATTR = Calls.symbolOrSyscall("mount_setattr", 442,
            FunctionDescriptor.of(Native.C_INT, Native.C_INT, Native.C_POINTER, Native.C_UINT, Native.C_POINTER,
                    Native.C_SIZE_T));

    private static VarHandle field(String name) {
        return MOUNT_ATTR.varHandle(MemoryLayout.PathElement.groupElement(name));
    }

    /** mount(2). {@code source}, {@code fsType} and {@code data} may be null. */
    public static void mount(String source, Path target, String fsType, long flags, String data) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Native.callState(arena);
            int rc = (int) MOUNT.invokeExact(state, cString(arena, source), cString(arena, target.toString()),
                    cString(arena, fsType), flags, cString(arena, data));
            check(rc, state, "mount", describeMount(source, target, fsType, flags));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    private static String describeMount(String source, Path target, String fsType, long flags) {
        return (source == null ? "" : source + " -> ") + target + (fsType == null ? "" : ", " + fsType)
                + ", flags 0x" + Long.toHexString(flags);
    }

    /** umount2(2) with {@code MNT_*} / {@code UMOUNT_NOFOLLOW} flags. */
    public static void umount2(Path target, int flags) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Native.callState(arena);
            int rc = (int) UMOUNT2.invokeExact(state, cString(arena, target.toString()), flags);
            check(rc, state, "umount2", target.toString());
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** fsopen(2): a filesystem context for {@code fsName}; returns its descriptor. */
    public static int fsopen(String fsName, int flags) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Native.callState(arena);
            int fd = (int) FSOPEN.invokeExact(state, cString(arena, fsName), flags);
            return (int) check(fd, state, "fsopen", fsName);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * fsconfig(2) with a string (or no) value: {@code FSCONFIG_SET_STRING}, {@code FSCONFIG_SET_FLAG} or a
     * {@code FSCONFIG_CMD_*}. On failure the exception carries the kernel's messages from the context log.
     */
    public static void fsconfig(int fsFd, int cmd, String key, String value) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Native.callState(arena);
            int rc = (int) FSCONFIG.invokeExact(state, fsFd, cmd, cString(arena, key), cString(arena, value), 0);
            if (rc < 0) {
                int errno = Native.errno(state);
                String what = key == null ? "cmd " + cmd : value == null ? key : key + "=" + value;
                List<String> log = contextLog(fsFd);
                throw new LinuxException("fsconfig", log.isEmpty() ? what : what + ": " + String.join("; ", log),
                        errno);
            }
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** The pending messages ("e overlay: ...") a filesystem context logged; reading drains them. */
    public static List<String> contextLog(int fsFd) {
        List<String> messages = new ArrayList<>();
        try {
            for (int i = 0; i < 16; i++) {
                String message = Unistd.readText(fsFd, 1024, Errno.ENODATA);
                if (message == null || message.isEmpty()) {
                    break;
                }
                messages.add(message.strip());
            }
        } catch (LinuxException e) {
            // the log is a nicety for error messages; the caller reports the original failure
        }
        return messages;
    }

    /** fsmount(2): a detached mount of the created superblock; returns the mount descriptor. */
    public static int fsmount(int fsFd, int flags, int attrFlags) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Native.callState(arena);
            int fd = (int) FSMOUNT.invokeExact(state, fsFd, flags, attrFlags);
            return (int) check(fd, state, "fsmount", "fd " + fsFd);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** move_mount(2): attach (or move) {@code fromDfd/fromPath} at {@code toDfd/toPath}. */
    public static void moveMount(int fromDfd, String fromPath, int toDfd, Path toPath, int flags) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Native.callState(arena);
            int rc = (int) MOVE_MOUNT.invokeExact(state, fromDfd, cString(arena, fromPath), toDfd,
                    cString(arena, toPath == null ? "" : toPath.toString()), flags);
            check(rc, state, "move_mount", "fd " + fromDfd + " -> " + toPath);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** open_tree(2): a descriptor for the mount at {@code path}, or a detached clone with OPEN_TREE_CLONE. */
    public static int openTree(int dfd, Path path, int flags) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Native.callState(arena);
            int fd = (int) OPEN_TREE.invokeExact(state, dfd, cString(arena, path.toString()), flags);
            return (int) check(fd, state, "open_tree", path.toString());
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** fspick(2): a filesystem context for the superblock mounted at {@code path}, for reconfiguration. */
    public static int fspick(int dfd, Path path, int flags) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Native.callState(arena);
            int fd = (int) FSPICK.invokeExact(state, dfd, cString(arena, path.toString()), flags);
            return (int) check(fd, state, "fspick", path.toString());
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * mount_setattr(2): set and clear {@code MOUNT_ATTR_*} bits and optionally change propagation
     * ({@code MS_PRIVATE}, {@code MS_SLAVE}, ... or 0) of the mount at {@code path}; {@code AT_RECURSIVE}
     * in {@code flags} applies it to the whole subtree.
     */
    public static void mountSetattr(int dfd, Path path, int flags, long attrSet, long attrClr, long propagation,
            long usernsFd) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Native.callState(arena);
            MemorySegment attr = arena.allocate(MOUNT_ATTR);
            ATTR_SET.set(attr, 0L, attrSet);
            ATTR_CLR.set(attr, 0L, attrClr);
            PROPAGATION.set(attr, 0L, propagation);
            USERNS_FD.set(attr, 0L, usernsFd);
            int rc = (int) MOUNT_SETATTR.invokeExact(state, dfd, cString(arena, path.toString()), flags, attr,
                    MOUNT_ATTR.byteSize());
            check(rc, state, "mount_setattr", path.toString());
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }
}
