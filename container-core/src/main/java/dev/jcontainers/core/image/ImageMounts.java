package dev.jcontainers.core.image;

import dev.jcontainers.api.ContainerException;
import dev.jcontainers.api.StorageException;
import dev.jcontainers.linux.mount.Mounts;
import dev.jcontainers.linux.mount.OverlayMount;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Read-only views of images' merged layers under {@code <root>/mounts/<image-id-hex>/}, as
 * {@code podman image mount} gives. The kernel's mount table is the only record: a view is mounted when its
 * directory is a mount point, which makes mounting idempotent and survives the JVM that mounted it.
 */
final class ImageMounts {
    private final Path dir;

    ImageMounts(Path dir) {
        this.dir = dir;
    }

    Path pathOf(String imageId) {
        return dir.resolve(imageId.substring(imageId.indexOf(':') + 1));
    }

    boolean isMounted(String imageId) {
        Path path = pathOf(imageId);
        return Files.isDirectory(path) && Mounts.isMountPoint(path);
    }

    /** Mounts the layers (bottom first) read-only at the image's mount point, unless it is mounted already. */
    synchronized Path mount(String imageId, List<Path> layersBottomFirst) {
        Path target = pathOf(imageId);
        if (isMounted(imageId)) {
            return target;
        }
        if (layersBottomFirst.isEmpty()) {
            throw new ContainerException("image " + imageId + " has no layers to mount");
        }
        try {
            Files.createDirectories(target);
        } catch (IOException e) {
            throw new StorageException("cannot create mount point " + target + ": " + e.getMessage(), e);
        }
        try {
            OverlayMount.mountReadOnly(layersBottomFirst.reversed(), target);
        } catch (RuntimeException e) {
            removeQuietly(target, e);
            throw e;
        }
        return target;
    }

    /** Unmounts the image's view and removes its mount point; false if it was not mounted. */
    synchronized boolean unmount(String imageId) {
        Path target = pathOf(imageId);
        boolean mounted = isMounted(imageId);
        if (mounted) {
            Mounts.unmount(target);
        }
        try {
            Files.deleteIfExists(target);
        } catch (IOException e) {
            throw new StorageException("cannot remove mount point " + target + ": " + e.getMessage(), e);
        }
        return mounted;
    }

    private static void removeQuietly(Path target, RuntimeException failure) {
        try {
            Files.deleteIfExists(target);
        } catch (IOException e) {
            failure.addSuppressed(e);
        }
    }
}
