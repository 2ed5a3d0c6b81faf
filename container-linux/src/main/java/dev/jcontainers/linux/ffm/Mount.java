package dev.jcontainers.linux.ffm;

import static dev.jcontainers.linux.ffm.Calls.cString;
import static dev.jcontainers.linux.ffm.Calls.check;

import java.lang.foreign.Arena;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
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
    // constant offsets, not layout VarHandles: those spin adapter classes at run time
    private static final long ATTR_SET = offset("attr_set");
    private static final long ATTR_CLR = offset("attr_clr");
    private static final long PROPAGATION = offset("propagation");
    private static final long USERNS_FD = offset("userns_fd");

    private static long offset(String field) {
        return MOUNT_ATTR.byteOffset(MemoryLayout.PathElement.groupElement(field));
    }

    /** mount(2). {@code source}, {@code fsType} and {@code data} may be null. */
    public static void mount(String source, Path target, String fsType, long flags, String data) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Native.callState(arena);
            long rc = Syscall.MOUNT.call(state, cString(arena, source).address(),
                    cString(arena, target.toString()).address(), cString(arena, fsType).address(), flags,
                    cString(arena, data).address());
            check(rc, state, "mount", describeMount(source, target, fsType, flags));
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
            long rc = Syscall.UMOUNT2.call(state, cString(arena, target.toString()).address(), flags);
            check(rc, state, "umount2", target.toString());
        }
    }

    /** fsopen(2): a filesystem context for {@code fsName}; returns its descriptor. */
    public static int fsopen(String fsName, int flags) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Native.callState(arena);
            long fd = Syscall.FSOPEN.call(state, cString(arena, fsName).address(), flags);
            return (int) check(fd, state, "fsopen", fsName);
        }
    }

    /**
     * fsconfig(2) with a string (or no) value: {@code FSCONFIG_SET_STRING}, {@code FSCONFIG_SET_FLAG} or a
     * {@code FSCONFIG_CMD_*}. On failure the exception carries the kernel's messages from the context log.
     */
    public static void fsconfig(int fsFd, int cmd, String key, String value) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Native.callState(arena);
            long rc = Syscall.FSCONFIG.call(state, fsFd, cmd, cString(arena, key).address(),
                    cString(arena, value).address(), 0);
            if (rc < 0) {
                int errno = Native.errno(state);
                String what = key == null ? "cmd " + cmd : value == null ? key : key + "=" + value;
                List<String> log = contextLog(fsFd);
                throw new LinuxException("fsconfig", log.isEmpty() ? what : what + ": " + String.join("; ", log),
                        errno);
            }
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
            long fd = Syscall.FSMOUNT.call(state, fsFd, flags, attrFlags);
            return (int) check(fd, state, "fsmount", "fd " + fsFd);
        }
    }

    /** move_mount(2): attach (or move) {@code fromDfd/fromPath} at {@code toDfd/toPath}. */
    public static void moveMount(int fromDfd, String fromPath, int toDfd, Path toPath, int flags) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Native.callState(arena);
            long rc = Syscall.MOVE_MOUNT.call(state, fromDfd, cString(arena, fromPath).address(), toDfd,
                    cString(arena, toPath == null ? "" : toPath.toString()).address(), flags);
            check(rc, state, "move_mount", "fd " + fromDfd + " -> " + toPath);
        }
    }

    /** open_tree(2): a descriptor for the mount at {@code path}, or a detached clone with OPEN_TREE_CLONE. */
    public static int openTree(int dfd, Path path, int flags) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Native.callState(arena);
            long fd = Syscall.OPEN_TREE.call(state, dfd, cString(arena, path.toString()).address(), flags);
            return (int) check(fd, state, "open_tree", path.toString());
        }
    }

    /** fspick(2): a filesystem context for the superblock mounted at {@code path}, for reconfiguration. */
    public static int fspick(int dfd, Path path, int flags) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Native.callState(arena);
            long fd = Syscall.FSPICK.call(state, dfd, cString(arena, path.toString()).address(), flags);
            return (int) check(fd, state, "fspick", path.toString());
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
            attr.set(ValueLayout.JAVA_LONG, ATTR_SET, attrSet);
            attr.set(ValueLayout.JAVA_LONG, ATTR_CLR, attrClr);
            attr.set(ValueLayout.JAVA_LONG, PROPAGATION, propagation);
            attr.set(ValueLayout.JAVA_LONG, USERNS_FD, usernsFd);
            long rc = Syscall.MOUNT_SETATTR.call(state, dfd, cString(arena, path.toString()).address(), flags,
                    attr.address(), MOUNT_ATTR.byteSize());
            check(rc, state, "mount_setattr", path.toString());
        }
    }
}
