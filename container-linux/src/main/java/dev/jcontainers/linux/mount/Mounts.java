package dev.jcontainers.linux.mount;

import dev.jcontainers.linux.ffm.Errno;
import dev.jcontainers.linux.ffm.LinuxException;
import dev.jcontainers.linux.ffm.Mount;
import dev.jcontainers.linux.ffm.Stat;
import dev.jcontainers.linux.ffm.Unistd;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** Bind mounts, tmpfs, read-only remounts, propagation and unmounting in the caller's mount namespace. */
public final class Mounts {
    private Mounts() {
    }

    /** Mount propagation types (mount_namespaces(7)). */
    public enum Propagation {
        PRIVATE(Mount.MS_PRIVATE), SLAVE(Mount.MS_SLAVE), SHARED(Mount.MS_SHARED), UNBINDABLE(Mount.MS_UNBINDABLE);

        final long flag;

        Propagation(long flag) {
            this.flag = flag;
        }
    }

    public enum UnmountOption {
        /** MNT_DETACH: detach now, free the mount once nothing uses it (a lazy unmount). */
        DETACH(Mount.MNT_DETACH),
        /** MNT_FORCE: abort pending requests (network filesystems); no effect on most local ones. */
        FORCE(Mount.MNT_FORCE),
        /** UMOUNT_NOFOLLOW: do not follow a symlink at the target. */
        NOFOLLOW(Mount.UMOUNT_NOFOLLOW);

        final int flag;

        UnmountOption(int flag) {
            this.flag = flag;
        }
    }

    /** Bind-mounts {@code source} at {@code target}; {@code recursive} also binds the mounts below source. */
    public static void bind(Path source, Path target, boolean recursive) {
        Mount.mount(source.toString(), target, null, Mount.MS_BIND | (recursive ? Mount.MS_REC : 0), null);
    }

    /** Mounts a fresh tmpfs at {@code target} with mount(2) {@code flags} and options like "size=64m,mode=755". */
    public static void mountTmpfs(Path target, long flags, String options) {
        Mount.mount("tmpfs", target, "tmpfs", flags, options);
    }

    /**
     * Makes the mount at {@code target} read-only, leaving its other flags as they are. Uses mount_setattr(2)
     * (kernel 5.12+); older kernels get the classic bind remount, which must restate the locked flags.
     */
    public static void remountReadOnly(Path target) {
        try {
            Mount.mountSetattr(Unistd.AT_FDCWD, target, 0, Mount.MOUNT_ATTR_RDONLY, 0, 0, 0);
        } catch (LinuxException e) {
            if (e.errno() != Errno.ENOSYS) {
                throw e;
            }
            long keep = Stat.statfs(target).flags()
                    & (Stat.ST_NOSUID | Stat.ST_NODEV | Stat.ST_NOEXEC); // same bit values as MS_*
            Mount.mount(null, target, null, Mount.MS_REMOUNT | Mount.MS_BIND | Mount.MS_RDONLY | keep, null);
        }
    }

    /** Unmounts the mount at {@code target} (umount2(2)). */
    public static void unmount(Path target, UnmountOption... options) {
        int flags = 0;
        for (UnmountOption option : options) {
            flags |= option.flag;
        }
        Mount.umount2(target, flags);
    }

    /**
     * Unmounts the mount at {@code target} if there is one, without reading the mount table: false if
     * {@code target} is not a mount point or does not exist.
     */
    public static boolean unmountIfMounted(Path target, UnmountOption... options) {
        // statx first: the umount2 of what is not mounted fails, and a failure is an exception (milliseconds of a
        // cold JVM's first one); EINVAL and ENOENT below only when it changes meanwhile
        if (Stat.typeOf(target) == -1 || !isMountPoint(target)) {
            return false;
        }
        try {
            unmount(target, options);
            return true;
        } catch (LinuxException e) {
            if (e.errno() == Errno.EINVAL || e.errno() == Errno.ENOENT) {
                return false;
            }
            throw e;
        }
    }

    /** Changes the propagation type of the mount at {@code mountPoint}, of its subtree too if {@code recursive}. */
    public static void setPropagation(Path mountPoint, Propagation propagation, boolean recursive) {
        Mount.mount(null, mountPoint, null, propagation.flag | (recursive ? Mount.MS_REC : 0), null);
    }

    /** {@code mount --make-private}. */
    public static void makePrivate(Path mountPoint) {
        setPropagation(mountPoint, Propagation.PRIVATE, false);
    }

    /** {@code mount --make-rslave}: receive but never send propagation, for the whole subtree. */
    public static void makeRslave(Path mountPoint) {
        setPropagation(mountPoint, Propagation.SLAVE, true);
    }

    /** Whether a mount sits exactly at {@code path} (after resolving symlinks). */
    public static boolean isMountPoint(Path path) {
        // one statx(2) rather than reading and parsing the whole mount table, thousands of lines on a busy host
        try {
            Stat.Attributes attributes = Stat.attributes(path);
            if (attributes.knowsMountRoot()) {
                return attributes.isMountRoot();
            }
        } catch (LinuxException e) {
            // the mount table will tell, or fail with the reason
        }
        return find(path).isPresent();
    }

    /** The top-most mount at {@code path} (the one a lookup sees), if any. */
    public static Optional<MountInfo> find(Path path) {
        Path real = realPath(path);
        List<MountInfo> mounts = MountInfo.self();
        for (int i = mounts.size() - 1; i >= 0; i--) {
            if (mounts.get(i).mountPoint().equals(real)) {
                return Optional.of(mounts.get(i));
            }
        }
        return Optional.empty();
    }

    /** The mount {@code path} lives on: the top-most one at the longest mount point above it. */
    public static MountInfo containing(Path path) {
        Path real = realPath(path);
        MountInfo best = null;
        for (MountInfo m : MountInfo.self()) {
            if (real.startsWith(m.mountPoint())
                    && (best == null || m.mountPoint().getNameCount() >= best.mountPoint().getNameCount())) {
                best = m;
            }
        }
        if (best == null) {
            throw new IllegalStateException("no mount holds " + real);
        }
        return best;
    }

    /** Mounts at or below {@code dir} in mount-table order (a mount after the one it sits on): unmount in reverse. */
    public static List<MountInfo> under(Path dir) {
        Path real = realPath(dir);
        return MountInfo.self().stream().filter(m -> m.mountPoint().startsWith(real)).toList();
    }

    private static Path realPath(Path path) {
        try {
            return path.toRealPath();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
