package dev.jcontainers.linux.mount;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jcontainers.testkit.Requirements;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A temporary directory for mount tests. {@link #close()} first detaches every mount below it (only
 * those: the test's own), newest first, then deletes the tree, and reports if a mount had been left
 * behind by the code under test.
 */
final class MountSandbox implements AutoCloseable {
    private final Path root;

    private MountSandbox(Path root) {
        this.root = root;
    }

    /** Requires root and overlayfs (skip, or fail under CI=true), then makes the directory. */
    static MountSandbox create() throws IOException {
        Requirements.requireRoot();
        Requirements.require(Files.readString(Path.of("/proc/filesystems")).contains("\toverlay\n"),
                "overlayfs is not available in this kernel");
        return new MountSandbox(Files.createTempDirectory("jc-mnt").toRealPath());
    }

    Path root() {
        return root;
    }

    /** A new directory (and its parents) below the sandbox. */
    Path dir(String relative) throws IOException {
        return Files.createDirectories(root.resolve(relative));
    }

    Path write(String relative, String content) throws IOException {
        Path file = root.resolve(relative);
        Files.createDirectories(file.getParent());
        return Files.writeString(file, content);
    }

    /** Mounts currently below the sandbox. */
    List<MountInfo> mounts() {
        return Mounts.under(root);
    }

    @Override
    public void close() {
        List<MountInfo> leftover = new ArrayList<>(mounts());
        for (int i = leftover.size() - 1; i >= 0; i--) {
            Mounts.unmount(leftover.get(i).mountPoint(), Mounts.UnmountOption.DETACH);
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assertThat(leftover).as("mounts the test left behind under " + root).isEmpty();
    }
}
