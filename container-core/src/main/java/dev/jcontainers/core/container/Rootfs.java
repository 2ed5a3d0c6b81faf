package dev.jcontainers.core.container;

import dev.jcontainers.api.ContainerException;
import dev.jcontainers.api.StorageException;
import dev.jcontainers.linux.mount.Mounts;
import dev.jcontainers.linux.mount.OverlayMount;

import java.io.IOException;
import java.nio.file.Files;
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

    /** Mounts the overlay of {@code layersBottomFirst} under the container's upper directory; returns the rootfs. */
    static Path mount(Path dir, List<String> layersBottomFirst) {
        try {
            Files.createDirectories(dir.resolve("upper"));
            Files.createDirectories(dir.resolve("work"));
            Files.createDirectories(path(dir));
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
        OverlayMount.mount(lowers, dir.resolve("upper"), dir.resolve("work"), path(dir));
        return path(dir);
    }

    /** Whether the rootfs is mounted (reads the mount table). */
    static boolean isMounted(Path dir) {
        return Files.isDirectory(path(dir)) && Mounts.isMountPoint(path(dir));
    }

    /**
     * Unmounts the rootfs if it is mounted, lazily: a process still inside (a copy, a shell in the upper
     * directory) keeps it until it lets go. A single umount2(2), without reading the mount table, when there is
     * nothing to unmount.
     */
    static void unmount(Path dir) {
        Mounts.unmountIfMounted(path(dir), Mounts.UnmountOption.DETACH, Mounts.UnmountOption.NOFOLLOW);
    }
}
