package dev.jcontainers.core.container;

import dev.jcontainers.api.ContainerStateException;
import dev.jcontainers.api.UnsafePathException;
import dev.jcontainers.core.copy.CopyEndpoint;
import dev.jcontainers.core.copy.Ownership;
import dev.jcontainers.core.copy.TreeArchiver;
import dev.jcontainers.core.copy.TreeExtractor;
import dev.jcontainers.linux.ffm.Errno;
import dev.jcontainers.linux.ffm.LinuxException;
import dev.jcontainers.linux.fs.RootedTree;
import dev.jcontainers.oci.runtime.RuntimeSpec;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.Optional;

/**
 * A container's files as one side of {@code docker cp}: a {@link RootedTree} at the container's root, so
 * every path resolves inside it. For a running container that root is {@code /proc/<pid>/root}, the root
 * its processes see, volumes and bind mounts included. For a stopped one it is the overlay rootfs, which
 * lacks them: there a path under a mount point is refused rather than silently copied into the overlay
 * under the mount. Ids are translated through the container's user namespace maps, if it has one.
 */
final class ContainerFiles implements CopyEndpoint, AutoCloseable {
    /** Mount points the runtime spec always has: not the user's volumes. */
    private static final List<String> STANDARD = List.of("/proc", "/dev", "/sys");

    private final RootedTree tree;
    private final String shortId;
    private final List<String> unavailableMounts;
    private final IdMap uids;
    private final IdMap gids;

    ContainerFiles(RootedTree tree, String id, RuntimeSpec spec, boolean running) {
        this.tree = tree;
        this.shortId = id.substring(0, 12);
        this.unavailableMounts = running ? List.of() : spec.mounts().stream()
                .map(RuntimeSpec.Mount::destination)
                .filter(d -> STANDARD.stream().noneMatch(s -> d.equals(s) || d.startsWith(s + "/")))
                .toList();
        this.uids = new IdMap(spec.linux() == null ? List.of() : spec.linux().uidMappings());
        this.gids = new IdMap(spec.linux() == null ? List.of() : spec.linux().gidMappings());
    }

    /** Ownership on disk for ids of the container ({@code -a}), or for its root (the default). */
    Ownership ownership(boolean keepArchiveIds) {
        return keepArchiveIds ? Ownership.mapped(uids::toHost, gids::toHost)
                : Ownership.fixed(uids.toHost(0), gids.toHost(0));
    }

    @Override
    public Optional<Boolean> isDirectory(String path, boolean followLast) {
        checkAvailable(path);
        return guarded(path, () -> tree.find(path, followLast).map(e -> {
            try (e) {
                return e.isDirectory();
            }
        }));
    }

    @Override
    public void archive(String path, boolean followLast, String rebase, OutputStream out) throws IOException {
        checkAvailable(path);
        guardedIo(path, () -> TreeArchiver.write(tree, path, followLast, rebase, out, uids::toContainer,
                gids::toContainer));
    }

    @Override
    public void extract(String dir, InputStream tar, Ownership owner) throws IOException {
        checkAvailable(dir);
        guardedIo(dir, () -> TreeExtractor.extract(tree, dir, tar, owner));
    }

    @Override
    public String describe(String path) {
        return "container " + shortId + ":" + path;
    }

    @Override
    public void close() {
        tree.close();
    }

    private void checkAvailable(String path) {
        String p = path.startsWith("/") ? path : "/" + path;
        for (String m : unavailableMounts) {
            if (p.equals(m) || p.startsWith(m.endsWith("/") ? m : m + "/")) {
                throw new ContainerStateException(describe(path) + " is under the mount point " + m
                        + ", which only a running container has: start it, or copy to the volume's data");
            }
        }
    }

    private interface Io {
        void run() throws IOException;
    }

    private static void guardedIo(String path, Io io) {
        guarded(path, () -> {
            io.run();
            return null;
        });
    }

    private interface Call<T> {
        T call() throws IOException;
    }

    /** ELOOP from openat2 means a magic link (refused by RESOLVE_NO_MAGICLINKS) or a symlink loop. */
    private static <T> T guarded(String path, Call<T> call) {
        try {
            return call.call();
        } catch (LinuxException e) {
            if (e.errno() == Errno.ELOOP || e.errno() == Errno.EXDEV) {
                throw new UnsafePathException("refused to resolve " + path + ": it leads through a magic link "
                        + "(such as /proc/self/root) or a symlink loop");
            }
            throw e;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** A user namespace's id map (identity without one); ids outside it are the overflow id, as the kernel shows them. */
    private record IdMap(List<RuntimeSpec.IdMapping> mappings) {
        private static final long OVERFLOW = 65534;

        long toHost(long id) {
            if (mappings.isEmpty()) {
                return id;
            }
            for (RuntimeSpec.IdMapping m : mappings) {
                if (id >= m.containerId() && id < m.containerId() + m.size()) {
                    return m.hostId() + (id - m.containerId());
                }
            }
            return OVERFLOW;
        }

        long toContainer(long id) {
            if (mappings.isEmpty()) {
                return id;
            }
            for (RuntimeSpec.IdMapping m : mappings) {
                if (id >= m.hostId() && id < m.hostId() + m.size()) {
                    return m.containerId() + (id - m.hostId());
                }
            }
            return OVERFLOW;
        }
    }
}
