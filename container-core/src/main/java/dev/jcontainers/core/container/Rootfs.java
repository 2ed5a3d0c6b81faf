package dev.jcontainers.core.container;

import dev.jcontainers.api.ContainerException;
import dev.jcontainers.api.ContainerStateException;
import dev.jcontainers.api.StorageException;
import dev.jcontainers.linux.ffm.LinuxException;
import dev.jcontainers.linux.ffm.Stat;
import dev.jcontainers.linux.mount.Mounts;
import dev.jcontainers.linux.mount.OverlayMount;
import dev.jcontainers.oci.store.AtomicFiles;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A container's root filesystem in the host's mount namespace: the image layers with the container's upper
 * directory on top, an overlay at {@code containers/<id>/rootfs}. Mounted at create, and again for a new run
 * or a copy into or out of a stopped container; unmounted once a run has ended for good, as Docker does at
 * stop, so exited containers hold no mounts. The upper directory keeps the container's changes meanwhile.
 */
final class Rootfs {
    private Rootfs() {
    }

    static Path path(Path dir) {
        return dir.resolve("rootfs");
    }

    /**
     * Mounts the overlay of {@code layersBottomFirst} under the container's upper directory; returns the rootfs.
     * A sandbox's ({@code detached} false) is volatile ({@link OverlayMount#mountVolatile}): it dies with its JVM
     * and never outlives a host crash, so it need not pay for syncs, least of all for the sync of the whole upper
     * filesystem that a plain overlay's unmount makes. A sandbox mounted before has its volatile mark cleared: it
     * was unmounted cleanly, as after a crash its sandbox is collected, never mounted again.
     */
    static Path mount(Path dir, List<String> layersBottomFirst, boolean detached) {
        try {
            AtomicFiles.ensureDirectory(dir.resolve("upper"));
            AtomicFiles.ensureDirectory(dir.resolve("work"));
            AtomicFiles.ensureDirectory(path(dir));
        } catch (IOException e) {
            throw new StorageException("cannot prepare " + dir + ": " + e.getMessage(), e);
        }
        List<Path> lowers = new ArrayList<>();
        for (int i = layersBottomFirst.size() - 1; i >= 0; i--) {
            lowers.add(Path.of(layersBottomFirst.get(i)));
        }
        if (lowers.isEmpty()) {
            throw new ContainerException("the image has no layers: nothing to run");
        }
        if (detached) {
            OverlayMount.mount(lowers, dir.resolve("upper"), dir.resolve("work"), path(dir));
        } else {
            OverlayMount.clearVolatileMark(dir.resolve("work"));
            OverlayMount.mountVolatile(lowers, dir.resolve("upper"), dir.resolve("work"), path(dir));
        }
        return path(dir);
    }

    /** Whether the rootfs is mounted (two statx(2) calls; no exception when it is missing). */
    static boolean isMounted(Path dir) {
        return Stat.typeOf(path(dir)) == Stat.S_IFDIR && Mounts.isMountPoint(path(dir));
    }

    /**
     * Unmounts the rootfs if it is mounted, lazily: a process still inside (a copy, a shell in the upper
     * directory) keeps it until it lets go. Without reading the mount table.
     */
    static void unmount(Path dir) {
        Mounts.unmountIfMounted(path(dir), Mounts.UnmountOption.DETACH, Mounts.UnmountOption.NOFOLLOW);
    }

    /**
     * A sandbox becoming detached: its volatile rootfs is unmounted (the container has exited; a volatile overlay's
     * unmount syncs nothing) and the mark lifted, so its next start mounts it durable, as any detached container's.
     * Its files reach the disk as other unsynced files do, as they did when sandboxes were not volatile.
     */
    static void endVolatile(Path dir) {
        if (isMounted(dir)) {
            try {
                Mounts.unmount(path(dir));
            } catch (LinuxException e) { // EBUSY: a process or mount still uses it
                throw new ContainerStateException("cannot detach: the root filesystem at " + path(dir)
                        + " is in use (" + e.getMessage() + ")");
            }
        }
        OverlayMount.clearVolatileMark(dir.resolve("work"));
    }
}
