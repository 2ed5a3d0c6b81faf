package dev.jcontainers.core.container;

import dev.jcontainers.api.StorageException;
import dev.jcontainers.linux.launch.LaunchPlan;
import dev.jcontainers.linux.launch.MountOp;
import dev.jcontainers.linux.namespace.Namespace;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Creates, from the host, the mount targets a user-namespaced container could not create itself.
 *
 * <p>The image layers keep host ids, which have no id inside the container's user namespace, so its root may
 * not add {@code /etc/hostname} or a bind target below a directory of the image. Made here as host root
 * through the mounted overlay, they are copied up with the image's attributes, exactly what the launch helper
 * would have made. Targets inside a file system the container mounts itself ({@code /dev}, a tmpfs) are
 * left to the helper: it owns those.
 */
final class MountTargets {
    private MountTargets() {
    }

    static void createForUserNamespace(LaunchPlan plan, Path rootfs) {
        if (!plan.namespaces().containsKey(Namespace.USER)) {
            return;
        }
        Path root = rootfs.toAbsolutePath();
        List<Path> mounted = new ArrayList<>();
        try {
            for (MountOp op : plan.mounts()) {
                Path target = Path.of(op.target());
                if (!target.startsWith(root) || mounted.stream().anyMatch(m -> target.startsWith(m) && !m.equals(target))) {
                    continue;
                }
                switch (op.kind()) {
                    case MOUNT -> {
                        if (!target.equals(root)) {
                            mounted.add(target);
                        }
                    }
                    case MKDIR -> Files.createDirectories(target);
                    case CREATE_FILE -> {
                        Files.createDirectories(target.getParent());
                        try {
                            Files.createFile(target);
                        } catch (FileAlreadyExistsException exists) {
                            // the image has it: the bind mount covers it
                        }
                    }
                    default -> {
                        // nodes and links are made by the helper in its own /dev
                    }
                }
            }
        } catch (IOException e) {
            throw new StorageException("cannot create mount targets in " + rootfs + ": " + e.getMessage(), e);
        }
    }
}
