package dev.jcontainers.linux.mount;

import dev.jcontainers.linux.ffm.Errno;
import dev.jcontainers.linux.ffm.LinuxException;
import dev.jcontainers.linux.ffm.Mount;
import dev.jcontainers.linux.ffm.Unistd;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * An overlayfs mount: read-only lower directories (top-most first), optionally an upper and a work
 * directory for writes. {@link #close()} unmounts it.
 *
 * <p>Two ways to mount, because mount(2) copies at most one page of option data and 128 layers with
 * absolute paths do not fit:
 * <ul>
 * <li>{@link Method#LOWERDIR_PLUS}: the new mount API, {@code fsopen("overlay")} and one
 * {@code fsconfig(FSCONFIG_SET_STRING, "lowerdir+", dir)} per layer (kernel 6.8+), so no length limit and
 * no escaping; then {@code fsmount} and {@code move_mount} onto the target.</li>
 * <li>{@link Method#MOUNT_DATA}: classic mount(2) with a {@code lowerdir=a:b:c,upperdir=..,workdir=..}
 * string. When it would exceed a page, the directories are named through short symlinks made for the
 * call (as Docker's {@code l/} links), reached through an {@code O_PATH} descriptor
 * ({@code /proc/self/fd/N/3}) if that is shorter than the link directory's path: the JVM cannot
 * {@code chdir} to make them relative as Docker's re-exec does. Overlayfs resolves the paths at mount
 * time, so the links are removed right after.</li>
 * </ul>
 */
public final class OverlayMount implements AutoCloseable {

    /** How to hand the layers to the kernel. */
    public enum Method {
        /** {@link #LOWERDIR_PLUS} where the kernel has it, else {@link #MOUNT_DATA}. */
        AUTO,
        LOWERDIR_PLUS,
        MOUNT_DATA,
        /** Reported, never requested: a one-layer read-only view is a read-only bind mount, not an overlay. */
        READ_ONLY_BIND
    }

    /** mount(2) option data is copied into one page, NUL included. */
    static final int MAX_MOUNT_DATA = 4096 - 1;
    /** "Argument list too long": what the kernel would say if it did not silently truncate the data. */
    private static final int E2BIG = 7;
    /** What a {@code volatile} mount leaves in its work directory; the kernel refuses to mount the pair while it is there. */
    private static final String VOLATILE_MARK = "work/incompat/volatile";

    private final Path target;
    private final Method method;

    private OverlayMount(Path target, Method method) {
        this.target = target;
        this.method = method;
    }

    /** Mounts a writable overlay at {@code target}; {@code work} must be an empty directory on upper's filesystem. */
    public static OverlayMount mount(List<Path> lowerTopFirst, Path upper, Path work, Path target) {
        return mount(lowerTopFirst, upper, work, target, Method.AUTO);
    }

    public static OverlayMount mount(List<Path> lowerTopFirst, Path upper, Path work, Path target, Method method) {
        return writable(lowerTopFirst, upper, work, target, method, false);
    }

    /**
     * As {@link #mount(List, Path, Path, Path)}, with overlayfs's {@code volatile} option (Linux 5.10+; mounted
     * without it on older kernels): the overlay never syncs its upper directory, neither for its users' fsync and
     * syncfs calls nor at unmount, where it would otherwise sync the whole filesystem the upper directory is on. For
     * containers that cannot outlive a host crash (podman mounts {@code --rm} containers so). The kernel refuses to
     * mount the upper and work directories again while the work directory holds the mark a volatile mount leaves;
     * after a clean unmount {@link #clearVolatileMark} lifts it, after a crash the directories should go.
     */
    public static OverlayMount mountVolatile(List<Path> lowerTopFirst, Path upper, Path work, Path target) {
        return writable(lowerTopFirst, upper, work, target, Method.AUTO, true);
    }

    private static OverlayMount writable(List<Path> lowerTopFirst, Path upper, Path work, Path target, Method method,
                                         boolean volatileUpper) {
        Objects.requireNonNull(upper, "upper");
        Objects.requireNonNull(work, "work");
        if (lowerTopFirst.isEmpty()) {
            throw new IllegalArgumentException("an overlay needs at least one lower directory");
        }
        return doMount(List.copyOf(lowerTopFirst), upper, work, target, method, volatileUpper);
    }

    /**
     * Lets {@code work} be mounted again after a {@linkplain #mountVolatile volatile} mount, which must have been
     * unmounted cleanly: the caller vouches that the host did not crash meanwhile. No-op without the mark.
     */
    public static void clearVolatileMark(Path work) {
        Path mark = work.resolve(VOLATILE_MARK);
        try (var entries = Files.list(mark)) {
            for (Path entry : (Iterable<Path>) entries::iterator) {
                Files.delete(entry);
            }
            Files.delete(mark);
        } catch (java.nio.file.NoSuchFileException e) {
            // never mounted volatile
        } catch (IOException e) {
            throw new UncheckedIOException("cannot clear the volatile mark in " + work, e);
        }
    }

    /**
     * Mounts a read-only overlay of the layers (no upper directory), e.g. to show an image's file tree.
     * Overlayfs needs two lower directories without an upper one, so a single layer is bind-mounted
     * read-only instead.
     */
    public static OverlayMount mountReadOnly(List<Path> lowerTopFirst, Path target) {
        return mountReadOnly(lowerTopFirst, target, Method.AUTO);
    }

    public static OverlayMount mountReadOnly(List<Path> lowerTopFirst, Path target, Method method) {
        if (lowerTopFirst.isEmpty()) {
            throw new IllegalArgumentException("an overlay needs at least one lower directory");
        }
        if (lowerTopFirst.size() == 1) {
            Mounts.bind(lowerTopFirst.getFirst(), target, false);
            try {
                Mounts.remountReadOnly(target);
            } catch (RuntimeException e) {
                unmountQuietly(target, e);
                throw e;
            }
            return new OverlayMount(target, Method.READ_ONLY_BIND);
        }
        return doMount(List.copyOf(lowerTopFirst), null, null, target, method, false);
    }

    public Path target() {
        return target;
    }

    /** The method that was used (never {@link Method#AUTO}). */
    public Method method() {
        return method;
    }

    /** Unmounts the overlay. */
    @Override
    public void close() {
        Mounts.unmount(target);
    }

    /** Whether this kernel accepts {@code lowerdir+} (overlayfs in Linux 6.8+). */
    public static boolean supportsLowerdirPlus() {
        return LowerdirPlusProbe.SUPPORTED;
    }

    private static Method resolve(Method method) {
        if (method == Method.READ_ONLY_BIND) {
            throw new IllegalArgumentException(
                    "READ_ONLY_BIND describes a result; request AUTO, LOWERDIR_PLUS or MOUNT_DATA");
        }
        if (method != Method.AUTO) {
            return method;
        }
        return supportsLowerdirPlus() ? Method.LOWERDIR_PLUS : Method.MOUNT_DATA;
    }

    private static OverlayMount doMount(List<Path> lowers, Path upper, Path work, Path target, Method method,
                                        boolean volatileUpper) {
        Method used = resolve(method);
        if (used == Method.LOWERDIR_PLUS) { // Linux 6.8+: volatile is there
            mountWithLowerdirPlus(lowers, upper, work, target, volatileUpper);
        } else if (volatileUpper) {
            try {
                mountWithData(lowers, upper, work, target, true);
            } catch (LinuxException e) {
                if (e.errno() != Errno.EINVAL) {
                    throw e;
                }
                mountWithData(lowers, upper, work, target, false); // before Linux 5.10
            }
        } else {
            mountWithData(lowers, upper, work, target, false);
        }
        return new OverlayMount(target, used);
    }

    private static void mountWithLowerdirPlus(List<Path> lowers, Path upper, Path work, Path target,
                                              boolean volatileUpper) {
        int fsFd = Mount.fsopen("overlay", Mount.FSOPEN_CLOEXEC);
        try {
            for (Path lower : lowers) {
                Mount.fsconfig(fsFd, Mount.FSCONFIG_SET_STRING, "lowerdir+", lower.toString());
            }
            if (upper != null) {
                Mount.fsconfig(fsFd, Mount.FSCONFIG_SET_STRING, "upperdir", upper.toString());
                Mount.fsconfig(fsFd, Mount.FSCONFIG_SET_STRING, "workdir", work.toString());
            }
            if (volatileUpper) {
                Mount.fsconfig(fsFd, Mount.FSCONFIG_SET_FLAG, "volatile", null);
            }
            Mount.fsconfig(fsFd, Mount.FSCONFIG_CMD_CREATE, null, null);
            int mountFd = Mount.fsmount(fsFd, Mount.FSMOUNT_CLOEXEC, upper == null ? Mount.MOUNT_ATTR_RDONLY : 0);
            try {
                Mount.moveMount(mountFd, "", Unistd.AT_FDCWD, target, Mount.MOVE_MOUNT_F_EMPTY_PATH);
            } finally {
                Unistd.close(mountFd);
            }
        } finally {
            Unistd.close(fsFd);
        }
    }

    private static void mountWithData(List<Path> lowers, Path upper, Path work, Path target, boolean volatileUpper) {
        long flags = upper == null ? Mount.MS_RDONLY : 0;
        String option = volatileUpper ? ",volatile" : "";
        String data = mountData(lowers, upper, work) + option;
        if (data.length() <= MAX_MOUNT_DATA) {
            Mount.mount("overlay", target, "overlay", flags, data);
            return;
        }
        try (ShortLinks links = ShortLinks.create()) {
            List<Path> shortLowers = new ArrayList<>(lowers.size());
            for (Path lower : lowers) {
                shortLowers.add(links.link(lower));
            }
            String shortData = mountData(shortLowers, upper == null ? null : links.link(upper),
                    work == null ? null : links.link(work)) + option;
            if (shortData.length() > MAX_MOUNT_DATA) {
                throw new LinuxException("mount", "overlay at " + target + ": " + lowers.size()
                        + " layers do not fit one page of mount data even with short links", E2BIG);
            }
            Mount.mount("overlay", target, "overlay", flags, shortData);
        }
    }

    /** The classic option string: {@code lowerdir=top:...:bottom[,upperdir=..,workdir=..]}. */
    static String mountData(List<Path> lowers, Path upper, Path work) {
        StringBuilder data = new StringBuilder("lowerdir=");
        for (int i = 0; i < lowers.size(); i++) {
            data.append(i == 0 ? "" : ":").append(escape(lowers.get(i).toString()));
        }
        if (upper != null) {
            data.append(",upperdir=").append(escape(upper.toString()));
            data.append(",workdir=").append(escape(work.toString()));
        }
        return data.toString();
    }

    /** Overlayfs splits options at ',' and lower layers at ':'; a backslash escapes both (and itself). */
    static String escape(String path) {
        StringBuilder out = new StringBuilder(path.length());
        for (char c : path.toCharArray()) {
            if (c == '\\' || c == ',' || c == ':') {
                out.append('\\');
            }
            out.append(c);
        }
        return out.toString();
    }

    private static void unmountQuietly(Path target, RuntimeException cause) {
        try {
            Mounts.unmount(target, Mounts.UnmountOption.DETACH);
        } catch (RuntimeException e) {
            cause.addSuppressed(e);
        }
    }

    /** Short symlinks to the layer directories, living only for one mount(2) call. */
    private static final class ShortLinks implements AutoCloseable {
        private static final String PROC_FD = "/proc/self/fd/";

        private final Path dir;
        private final int dirFd;
        private final String prefix;
        private int next;

        private ShortLinks(Path dir, int dirFd) {
            this.dir = dir;
            this.dirFd = dirFd;
            String viaFd = PROC_FD + dirFd;
            this.prefix = (viaFd.length() < dir.toString().length() ? viaFd : dir.toString()) + "/";
        }

        static ShortLinks create() {
            Path dir;
            try {
                dir = Files.createTempDirectory("jc-ovl");
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create a directory for overlay layer links", e);
            }
            try {
                return new ShortLinks(dir, Unistd.open(dir, Unistd.O_PATH | Unistd.O_DIRECTORY | Unistd.O_CLOEXEC));
            } catch (RuntimeException e) {
                deleteQuietly(dir, e);
                throw e;
            }
        }

        /** A new link to {@code target}, as the short path the kernel should be given. */
        Path link(Path target) {
            String name = Integer.toString(next++, Character.MAX_RADIX);
            try {
                Files.createSymbolicLink(dir.resolve(name), target.toAbsolutePath());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot link " + target + " for an overlay mount", e);
            }
            return Path.of(prefix + name);
        }

        @Override
        public void close() {
            RuntimeException failure = null;
            try {
                Unistd.close(dirFd);
            } catch (RuntimeException e) {
                failure = e;
            }
            try (var links = Files.list(dir)) {
                for (Path link : (Iterable<Path>) links::iterator) {
                    Files.delete(link);
                }
                Files.delete(dir);
            } catch (IOException e) {
                UncheckedIOException io = new UncheckedIOException("cannot remove overlay layer links in " + dir, e);
                if (failure != null) {
                    io.addSuppressed(failure);
                }
                failure = io;
            }
            if (failure != null) {
                throw failure;
            }
        }

        private static void deleteQuietly(Path dir, RuntimeException cause) {
            try {
                Files.delete(dir);
            } catch (IOException e) {
                cause.addSuppressed(e);
            }
        }
    }

    /** One-time probe: does this kernel's overlayfs take {@code lowerdir+} through fsconfig? */
    private static final class LowerdirPlusProbe {
        static final boolean SUPPORTED = probe();

        private static boolean probe() {
            int fsFd;
            try {
                fsFd = Mount.fsopen("overlay", Mount.FSOPEN_CLOEXEC);
            } catch (LinuxException e) {
                return false; // no new mount API (ENOSYS), no overlayfs (ENODEV) or no privilege (EPERM)
            }
            try {
                // Only records the layer; nothing is created until FSCONFIG_CMD_CREATE.
                Mount.fsconfig(fsFd, Mount.FSCONFIG_SET_STRING, "lowerdir+", "/");
                return true;
            } catch (LinuxException e) {
                return false; // EINVAL: "Unknown parameter" before 6.8
            } finally {
                Unistd.close(fsFd);
            }
        }
    }
}
