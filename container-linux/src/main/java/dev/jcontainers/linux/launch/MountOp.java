package dev.jcontainers.linux.launch;

import java.util.Objects;

/**
 * One step of a container's mount list, executed literally and in order by the launch helper in the
 * container's mount namespace. Empty {@code source}, {@code fstype} and {@code data} mean "none" (NULL).
 * Targets are absolute: host paths (already resolved inside the rootfs) before {@link Kind#PIVOT_ROOT},
 * container paths after it.
 */
public record MountOp(Kind kind, String source, String target, String fstype, long flags, String data, int mode,
                      long device) {

    public enum Kind {
        /** {@code mount(source, target, fstype, flags, data)}, also remounts and propagation changes. */
        MOUNT(1),
        /** {@code mkdir -p target} with {@code mode}. */
        MKDIR(2),
        /** {@code mknod(target, mode, device)}; {@code mode} carries the node type (char, block or fifo). */
        MKNOD(3),
        /** {@code symlink(source, target)}: a link at {@code target} pointing to {@code source}. */
        SYMLINK(4),
        /** Make {@code target} the root: {@code pivot_root(".", ".")} there and detach the old root. */
        PIVOT_ROOT(5),
        /** Create an empty file (a bind-mount target) with {@code mode}. */
        CREATE_FILE(6);

        private final int code;

        Kind(int code) {
            this.code = code;
        }

        public int code() {
            return code;
        }

        public static Kind of(int code) {
            for (Kind k : values()) {
                if (k.code == code) {
                    return k;
                }
            }
            throw new IllegalArgumentException("unknown mount op " + code);
        }
    }

    public static final long MS_RDONLY = 1;
    public static final long MS_NOSUID = 2;
    public static final long MS_NODEV = 4;
    public static final long MS_NOEXEC = 8;
    public static final long MS_REMOUNT = 32;
    public static final long MS_BIND = 4096;
    public static final long MS_REC = 16384;
    public static final long MS_PRIVATE = 1L << 18;
    public static final long MS_SLAVE = 1L << 19;
    public static final long MS_SHARED = 1L << 20;
    public static final long MS_RELATIME = 1L << 21;
    public static final long MS_STRICTATIME = 1L << 24;

    public static final int S_IFCHR = 0020000;
    public static final int S_IFBLK = 0060000;
    public static final int S_IFIFO = 0010000;

    public MountOp {
        Objects.requireNonNull(kind, "kind");
        source = Objects.requireNonNullElse(source, "");
        fstype = Objects.requireNonNullElse(fstype, "");
        data = Objects.requireNonNullElse(data, "");
        Objects.requireNonNull(target, "target");
        LaunchPlan.checkAbsolute("mount target", target);
        for (String s : new String[] {source, fstype, data}) {
            LaunchPlan.checkCString("mount argument", s);
        }
        int type = mode & 0170000;
        if (kind == Kind.MKNOD ? type != S_IFCHR && type != S_IFBLK && type != S_IFIFO : type != 0) {
            throw new IllegalArgumentException("bad mode 0" + Integer.toOctalString(mode) + " for " + kind);
        }
        if (kind == Kind.SYMLINK && source.isEmpty()) {
            throw new IllegalArgumentException("symlink " + target + " needs a target");
        }
    }

    public static MountOp mount(String source, String target, String fstype, long flags, String data) {
        return new MountOp(Kind.MOUNT, source, target, fstype, flags, data, 0, 0);
    }

    public static MountOp bind(String source, String target, boolean recursive) {
        return mount(source, target, "", MS_BIND | (recursive ? MS_REC : 0), "");
    }

    /** A remount changing per-mount flags; for a bind mount include {@link #MS_BIND} in {@code flags}. */
    public static MountOp remount(String target, long flags) {
        return mount("", target, "", MS_REMOUNT | flags, "");
    }

    /** A propagation change, e.g. {@code MS_REC | MS_SLAVE} on {@code /}. */
    public static MountOp propagation(String target, long flags) {
        return mount("", target, "", flags, "");
    }

    public static MountOp mkdir(String path, int mode) {
        return new MountOp(Kind.MKDIR, "", path, "", 0, "", mode, 0);
    }

    public static MountOp mknod(String path, int typeAndMode, long device) {
        return new MountOp(Kind.MKNOD, "", path, "", 0, "", typeAndMode, device);
    }

    public static MountOp symlink(String linkTarget, String path) {
        return new MountOp(Kind.SYMLINK, linkTarget, path, "", 0, "", 0, 0);
    }

    public static MountOp createFile(String path, int mode) {
        return new MountOp(Kind.CREATE_FILE, "", path, "", 0, "", mode, 0);
    }

    public static MountOp pivotRoot(String newRoot) {
        return new MountOp(Kind.PIVOT_ROOT, "", newRoot, "", 0, "", 0, 0);
    }

    /** glibc's {@code makedev}. */
    public static long makedev(int major, int minor) {
        long ma = Integer.toUnsignedLong(major);
        long mi = Integer.toUnsignedLong(minor);
        return ((ma & 0xfffff000L) << 32) | ((ma & 0xfffL) << 8) | ((mi & 0xffffff00L) << 12) | (mi & 0xffL);
    }
}
