package dev.jcontainers.linux.launch;

import static dev.jcontainers.linux.launch.MountOp.MS_BIND;
import static dev.jcontainers.linux.launch.MountOp.MS_NODEV;
import static dev.jcontainers.linux.launch.MountOp.MS_NOEXEC;
import static dev.jcontainers.linux.launch.MountOp.MS_NOSUID;
import static dev.jcontainers.linux.launch.MountOp.MS_RDONLY;
import static dev.jcontainers.linux.launch.MountOp.MS_REC;
import static dev.jcontainers.linux.launch.MountOp.MS_SLAVE;
import static dev.jcontainers.linux.launch.MountOp.MS_STRICTATIME;
import static dev.jcontainers.linux.launch.MountOp.S_IFCHR;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The standard mount list of a container (what runc and Docker set up), for a rootfs that is already
 * mounted on the host (e.g. an overlay). In the container's mount namespace: {@code /} becomes a slave so
 * nothing propagates back (with a shared bind the rootfs alone becomes private instead: the bind's source must
 * stay a peer of the host's mount), the rootfs is bind-mounted onto itself (pivot_root needs a mount point), then
 * {@code /proc}, a tmpfs {@code /dev} with the standard nodes, {@code /dev/pts} (new instance),
 * {@code /dev/shm}, {@code /dev/mqueue}, a read-only {@code /sys}, the caller's bind mounts, the masked and
 * read-only paths, and {@code pivot_root}. Targets are resolved inside the rootfs when the list is built.
 */
public final class ContainerMounts {
    /**
     * A bind mount of a host file or directory into the container (e.g. /etc/hosts, volumes), with its
     * propagation: {@code MS_PRIVATE}, {@code MS_SHARED} or {@code MS_SLAVE}, with {@code MS_REC} or not.
     */
    public record Bind(Path source, String containerPath, boolean readOnly, boolean directory, long propagation) {
        private static final long TYPES = MountOp.MS_PRIVATE | MountOp.MS_SHARED | MountOp.MS_SLAVE;

        public Bind {
            if (Long.bitCount(propagation & TYPES) != 1 || (propagation & ~(TYPES | MS_REC)) != 0) {
                throw new IllegalArgumentException("bad bind propagation flags " + Long.toHexString(propagation));
            }
        }

        /** Docker's default propagation, rprivate: mounts below it travel neither way. */
        public Bind(Path source, String containerPath, boolean readOnly, boolean directory) {
            this(source, containerPath, readOnly, directory, MS_REC | MountOp.MS_PRIVATE);
        }

        boolean shared() {
            return (propagation & MountOp.MS_SHARED) != 0;
        }
    }

    /**
     * What of the kernel's interfaces the container may not see or change (runc's {@code maskPath} and
     * {@code readonlyPath}): each masked path is hidden (a directory under an empty read-only tmpfs, a file
     * under {@code /dev/null}); each read-only path is bound onto itself and remounted read-only. Paths are
     * container paths under {@code /proc} and {@code /sys}; those this kernel does not have are skipped.
     *
     * @param readOnlySys {@code /sys} read-only, as for every unprivileged container
     */
    public record Confinement(List<String> maskedPaths, List<String> readonlyPaths, boolean readOnlySys) {
        /** No masked or read-only paths, a read-only {@code /sys}. */
        public static final Confinement NONE = new Confinement(List.of(), List.of(), true);
        /** {@code --privileged}: nothing hidden, {@code /sys} writable. */
        public static final Confinement PRIVILEGED = new Confinement(List.of(), List.of(), false);

        public Confinement {
            maskedPaths = List.copyOf(maskedPaths);
            readonlyPaths = List.copyOf(readonlyPaths);
            for (String p : maskedPaths) {
                LaunchPlan.checkAbsolute("masked path", p);
            }
            for (String p : readonlyPaths) {
                LaunchPlan.checkAbsolute("read-only path", p);
            }
        }
    }

    /** The flags proc is mounted with: a read-only remount must keep them (in a user namespace they are locked). */
    private static final long PROC_FLAGS = MS_NOSUID | MS_NOEXEC | MS_NODEV;

    private static final String[] DEVICES = {"null", "zero", "full", "random", "urandom", "tty"};
    private static final int[][] DEVICE_NUMBERS = {{1, 3}, {1, 5}, {1, 7}, {1, 8}, {1, 9}, {5, 0}};

    private ContainerMounts() {
    }

    /**
     * @param userNamespace the container has its own USER namespace: device nodes cannot be created there,
     *                      so the host's are bind-mounted instead
     * @param privateNet    the container has its own NET namespace (sysfs can be mounted fresh); otherwise
     *                      the host's /sys is bind-mounted read-only
     * @param privateIpc    the container has its own IPC namespace (a fresh mqueue)
     */
    public static List<MountOp> standard(Path rootfs, boolean userNamespace, boolean privateNet, boolean privateIpc,
                                         List<Bind> binds) {
        return standard(rootfs, userNamespace, privateNet, privateIpc, binds, Confinement.NONE);
    }

    /** The standard list with {@code confinement}'s masked and read-only paths, just before pivot_root. */
    public static List<MountOp> standard(Path rootfs, boolean userNamespace, boolean privateNet, boolean privateIpc,
                                         List<Bind> binds, Confinement confinement) {
        String root = rootfs.toAbsolutePath().toString();
        List<MountOp> ops = new ArrayList<>();
        if (binds.stream().anyMatch(Bind::shared)) {
            // the old root is made a slave before it is detached (in the helper), so its unmounts stay here
            ops.add(MountOp.propagation(root, MS_REC | MountOp.MS_PRIVATE));
        } else {
            ops.add(MountOp.propagation("/", MS_REC | MS_SLAVE));
        }
        ops.add(MountOp.bind(root, root, true));

        String proc = dir(ops, rootfs, "/proc");
        ops.add(MountOp.mount("proc", proc, "proc", MS_NOSUID | MS_NOEXEC | MS_NODEV, ""));

        String dev = dir(ops, rootfs, "/dev");
        ops.add(MountOp.mount("tmpfs", dev, "tmpfs", MS_NOSUID | MS_STRICTATIME, "mode=755,size=65536k"));
        for (int i = 0; i < DEVICES.length; i++) {
            String node = dev + "/" + DEVICES[i];
            if (userNamespace) {
                ops.add(MountOp.createFile(node, 0666));
                ops.add(MountOp.bind("/dev/" + DEVICES[i], node, false));
            } else {
                ops.add(MountOp.mknod(node, S_IFCHR | 0666,
                        MountOp.makedev(DEVICE_NUMBERS[i][0], DEVICE_NUMBERS[i][1])));
            }
        }
        ops.add(MountOp.mkdir(dev + "/pts", 0755));
        ops.add(MountOp.mount("devpts", dev + "/pts", "devpts", MS_NOSUID | MS_NOEXEC,
                "newinstance,ptmxmode=0666,mode=0620"));
        ops.add(MountOp.symlink("pts/ptmx", dev + "/ptmx"));
        ops.add(MountOp.mkdir(dev + "/shm", 01777));
        ops.add(MountOp.mount("shm", dev + "/shm", "tmpfs", MS_NOSUID | MS_NOEXEC | MS_NODEV, "mode=1777,size=65536k"));
        if (privateIpc) {
            ops.add(MountOp.mkdir(dev + "/mqueue", 0755));
            ops.add(MountOp.mount("mqueue", dev + "/mqueue", "mqueue", MS_NOSUID | MS_NOEXEC | MS_NODEV, ""));
        }
        ops.add(MountOp.symlink("/proc/self/fd", dev + "/fd"));
        ops.add(MountOp.symlink("/proc/self/fd/0", dev + "/stdin"));
        ops.add(MountOp.symlink("/proc/self/fd/1", dev + "/stdout"));
        ops.add(MountOp.symlink("/proc/self/fd/2", dev + "/stderr"));
        ops.add(MountOp.symlink("/proc/kcore", dev + "/core"));

        String sys = dir(ops, rootfs, "/sys");
        long sysReadOnly = confinement.readOnlySys() ? MS_RDONLY : 0;
        if (privateNet) {
            ops.add(MountOp.mount("sysfs", sys, "sysfs", MS_NOSUID | MS_NOEXEC | MS_NODEV | sysReadOnly, ""));
        } else {
            ops.add(MountOp.bind("/sys", sys, true));
            ops.add(MountOp.remount(sys, MS_BIND | sysReadOnly | MS_NOSUID | MS_NOEXEC | MS_NODEV));
        }

        for (Bind b : binds) {
            String target = InRoot.resolve(rootfs, b.containerPath()).toString();
            if (!b.directory()) { // an image without /etc still gets /etc/hostname, as runc makes the parents
                ops.add(MountOp.mkdir(Path.of(target).getParent().toString(), 0755));
            }
            ops.add(b.directory() ? MountOp.mkdir(target, 0755) : MountOp.createFile(target, 0644));
            ops.add(MountOp.bind(b.source().toAbsolutePath().toString(), target, true));
            if (b.readOnly()) {
                ops.add(MountOp.remount(target, MS_BIND | MS_REC | MS_RDONLY));
            }
            ops.add(MountOp.propagation(target, b.propagation()));
        }
        confine(ops, rootfs, confinement);
        ops.add(MountOp.pivotRoot(root));
        return ops;
    }

    /**
     * The container's /proc and /sys are fresh instances of the same kernel's, so whether a path exists
     * and what it is (file or directory) is read from the host's: the rootfs holds only empty mount points
     * while the list is built. {@code /sys/firmware} and the like are the same for every namespace.
     */
    private static void confine(List<MountOp> ops, Path rootfs, Confinement confinement) {
        for (String path : confinement.maskedPaths()) {
            Path onHost = Path.of(path);
            if (!Files.exists(onHost, LinkOption.NOFOLLOW_LINKS)) {
                continue;
            }
            String target = kernelInterface(rootfs, path);
            if (Files.isDirectory(onHost, LinkOption.NOFOLLOW_LINKS)) {
                ops.add(MountOp.mount("tmpfs", target, "tmpfs", MS_RDONLY | PROC_FLAGS, ""));
            } else {
                ops.add(MountOp.bind("/dev/null", target, false));
            }
        }
        for (String path : confinement.readonlyPaths()) {
            if (!Files.exists(Path.of(path), LinkOption.NOFOLLOW_LINKS)) {
                continue;
            }
            String target = kernelInterface(rootfs, path);
            ops.add(MountOp.bind(target, target, true));
            ops.add(MountOp.remount(target, MS_BIND | MS_RDONLY | PROC_FLAGS));
        }
    }

    /**
     * The host path of a masked or read-only path. Below {@code /proc} and {@code /sys} it names a file of the proc or
     * sysfs instance mounted there before the confinement, which hides the image's own directories: only that mount
     * point is resolved in the rootfs and the rest is taken as it is. Resolved in the image instead, a symlink there
     * ({@code /proc/kcore -> /tmp/x}) would move the mask off the kernel's file (and each component costs an lstat).
     */
    static String kernelInterface(Path rootfs, String path) {
        for (String mountPoint : List.of("/proc", "/sys")) {
            String rest = path.startsWith(mountPoint + "/") ? path.substring(mountPoint.length()) : null;
            if (rest != null && !rest.contains("/..") && !rest.contains("/./") && !rest.contains("//")) {
                return InRoot.resolve(rootfs, mountPoint) + rest;
            }
        }
        return InRoot.resolve(rootfs, path).toString();
    }

    private static String dir(List<MountOp> ops, Path rootfs, String containerPath) {
        String target = InRoot.resolve(rootfs, containerPath).toString();
        ops.add(MountOp.mkdir(target, 0755));
        return target;
    }
}
