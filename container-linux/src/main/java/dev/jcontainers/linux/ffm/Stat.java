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
 * hierarchy, tmpfs). Layout of {@code struct statfs} for 64-bit Linux (x86-64, aarch64), checked by
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

    private static long get(long field, MemorySegment buf) {
        return buf.get(ValueLayout.JAVA_LONG, field);
    }
}
