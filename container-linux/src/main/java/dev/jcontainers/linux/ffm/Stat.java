package dev.jcontainers.linux.ffm;

import static dev.jcontainers.linux.ffm.Calls.cString;
import static dev.jcontainers.linux.ffm.Calls.check;

import java.lang.foreign.Arena;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;

/**
 * {@code sys/vfs.h}: statfs(2), to tell which filesystem backs a path (overlay root, cgroup2 vs. v1
 * hierarchy, tmpfs); {@code sys/stat.h}: statx(2), for whether a path is the root of a mount. Layouts of
 * {@code struct statfs} and {@code struct statx} for 64-bit Linux (x86-64, aarch64), checked by
 * {@code FfmLayoutTest}; headers and symbols in {@code src/main/ffm/stat.txt}.
 */
public final class Stat {
    private Stat() {
    }

    // f_type values, from linux/magic.h
    public static final long OVERLAYFS_SUPER_MAGIC = 0x794c7630L;
    public static final long TMPFS_MAGIC = 0x01021994L;
    public static final long CGROUP_SUPER_MAGIC = 0x27e0ebL;
    public static final long CGROUP2_SUPER_MAGIC = 0x63677270L;
    public static final long PROC_SUPER_MAGIC = 0x9fa0L;
    public static final long SYSFS_MAGIC = 0x62656572L;
    public static final long EXT4_SUPER_MAGIC = 0xef53L;
    public static final long XFS_SUPER_MAGIC = 0x58465342L;
    public static final long BTRFS_SUPER_MAGIC = 0x9123683eL;

    // f_flags bits (ST_* of sys/statvfs.h), the mount flags of the mount holding the path
    public static final long ST_RDONLY = 1;
    public static final long ST_NOSUID = 2;
    public static final long ST_NODEV = 4;
    public static final long ST_NOEXEC = 8;

    // statx(2): stx_attributes bits, and the flags and mask of the call
    public static final long STATX_ATTR_MOUNT_ROOT = 0x2000;
    public static final int AT_NO_AUTOMOUNT = 0x800;
    public static final int AT_STATX_SYNC_AS_STAT = 0;
    public static final int STATX_TYPE = 1;
    // stx_mode's file type bits
    public static final int S_IFMT = 0xf000;
    public static final int S_IFLNK = 0xa000;
    public static final int S_IFDIR = 0x4000;

    /**
     * {@code struct statx}: 256 bytes; only the fields read here are named, the rest is padding at the kernel's
     * offsets (the kernel fills all of it).
     */
    public static final StructLayout STATX = MemoryLayout.structLayout(
            ValueLayout.JAVA_INT.withName("stx_mask"),
            ValueLayout.JAVA_INT.withName("stx_blksize"),
            ValueLayout.JAVA_LONG.withName("stx_attributes"),
            ValueLayout.JAVA_INT.withName("stx_nlink"),
            ValueLayout.JAVA_INT.withName("stx_uid"),
            ValueLayout.JAVA_INT.withName("stx_gid"),
            ValueLayout.JAVA_SHORT.withName("stx_mode"),
            MemoryLayout.paddingLayout(26),
            ValueLayout.JAVA_LONG.withName("stx_attributes_mask"),
            MemoryLayout.paddingLayout(192)).withName("statx");

    /** {@code struct statfs}: 120 bytes, every field a 64-bit word except the two-int {@code f_fsid}. */
    public static final StructLayout STATFS = MemoryLayout.structLayout(
            ValueLayout.JAVA_LONG.withName("f_type"),
            ValueLayout.JAVA_LONG.withName("f_bsize"),
            ValueLayout.JAVA_LONG.withName("f_blocks"),
            ValueLayout.JAVA_LONG.withName("f_bfree"),
            ValueLayout.JAVA_LONG.withName("f_bavail"),
            ValueLayout.JAVA_LONG.withName("f_files"),
            ValueLayout.JAVA_LONG.withName("f_ffree"),
            MemoryLayout.sequenceLayout(2, ValueLayout.JAVA_INT).withName("f_fsid"),
            ValueLayout.JAVA_LONG.withName("f_namelen"),
            ValueLayout.JAVA_LONG.withName("f_frsize"),
            ValueLayout.JAVA_LONG.withName("f_flags"),
            MemoryLayout.sequenceLayout(4, ValueLayout.JAVA_LONG).withName("f_spare")).withName("statfs");

    // constant offsets, not layout VarHandles: those spin adapter classes at run time
    private static final long F_TYPE = offset("f_type");
    private static final long F_BSIZE = offset("f_bsize");
    private static final long F_BLOCKS = offset("f_blocks");
    private static final long F_BFREE = offset("f_bfree");
    private static final long F_BAVAIL = offset("f_bavail");
    private static final long F_FILES = offset("f_files");
    private static final long F_FFREE = offset("f_ffree");
    private static final long F_NAMELEN = offset("f_namelen");
    private static final long F_FLAGS = offset("f_flags");
    private static final long STX_ATTRIBUTES = STATX.byteOffset(MemoryLayout.PathElement.groupElement("stx_attributes"));
    private static final long STX_MODE = STATX.byteOffset(MemoryLayout.PathElement.groupElement("stx_mode"));
    private static final long STX_ATTRIBUTES_MASK =
            STATX.byteOffset(MemoryLayout.PathElement.groupElement("stx_attributes_mask"));

    private static long offset(String field) {
        return STATFS.byteOffset(MemoryLayout.PathElement.groupElement(field));
    }

    /** What statfs(2) says about the filesystem holding a path. */
    public record FsStats(long type, long blockSize, long blocks, long blocksFree, long blocksAvailable,
            long files, long filesFree, long nameMax, long flags) {
        public boolean isOverlay() {
            return type == OVERLAYFS_SUPER_MAGIC;
        }

        public boolean isReadOnly() {
            return (flags & ST_RDONLY) != 0;
        }
    }

    public static FsStats statfs(Path path) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Native.callState(arena);
            MemorySegment buf = arena.allocate(STATFS);
            long rc = Syscall.STATFS.call(state, cString(arena, path.toString()).address(), buf.address());
            check(rc, state, "statfs", path.toString());
            return new FsStats(get(F_TYPE, buf), get(F_BSIZE, buf), get(F_BLOCKS, buf), get(F_BFREE, buf),
                    get(F_BAVAIL, buf), get(F_FILES, buf), get(F_FFREE, buf), get(F_NAMELEN, buf),
                    get(F_FLAGS, buf));
        }
    }

    /** statx(2)'s attribute bits of a path ({@code STATX_ATTR_*}) and which of them the kernel knows. */
    public record Attributes(long attributes, long supported) {
        /** Whether the kernel said (Linux 5.8+) whether the path is the root of a mount. */
        public boolean knowsMountRoot() {
            return (supported & STATX_ATTR_MOUNT_ROOT) != 0;
        }

        /** The path is the root of a mount: something is mounted there (meaningful if {@link #knowsMountRoot}). */
        public boolean isMountRoot() {
            return (attributes & STATX_ATTR_MOUNT_ROOT) != 0;
        }
    }

    /** The statx(2) attributes of {@code path}, symbolic links followed, automounts not triggered. */
    public static Attributes attributes(Path path) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Native.callState(arena);
            MemorySegment buf = arena.allocate(STATX);
            check(statx(arena, state, path, AT_STATX_SYNC_AS_STAT, buf), state, "statx", path.toString());
            return new Attributes(get(STX_ATTRIBUTES, buf), get(STX_ATTRIBUTES_MASK, buf));
        }
    }

    /**
     * The file type ({@code stx_mode & S_IFMT}) of {@code path} itself, a final symbolic link not followed, or -1
     * if nothing is there (ENOENT, ENOTDIR). Without an exception for a missing path, unlike {@code java.nio}'s
     * checks, which throw (and catch) two for each: for walks where most paths do not exist yet.
     */
    public static int typeOf(Path path) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Native.callState(arena);
            MemorySegment buf = arena.allocate(STATX);
            long rc = statx(arena, state, path, Unistd.AT_SYMLINK_NOFOLLOW, buf);
            if (rc < 0 && (Native.errno(state) == Errno.ENOENT || Native.errno(state) == Errno.ENOTDIR)) {
                return -1;
            }
            check(rc, state, "statx", path.toString());
            return buf.get(ValueLayout.JAVA_SHORT, STX_MODE) & S_IFMT;
        }
    }

    /** statx(2) of {@code path} with {@code flags}, automounts never triggered; the raw result. */
    private static long statx(Arena arena, MemorySegment state, Path path, int flags, MemorySegment buf) {
        return Syscall.STATX.call(state, Unistd.AT_FDCWD, cString(arena, path.toString()).address(),
                AT_NO_AUTOMOUNT | flags, STATX_TYPE, buf.address());
    }

    private static long get(long field, MemorySegment buf) {
        return buf.get(ValueLayout.JAVA_LONG, field);
    }
}
