package dev.jcontainers.core.copy;

import dev.jcontainers.api.ContainerException;
import dev.jcontainers.api.ContainerPathNotFoundException;
import dev.jcontainers.api.UnsafePathException;
import dev.jcontainers.linux.ffm.FileAt;
import dev.jcontainers.linux.fs.RootedTree;
import dev.jcontainers.linux.launch.FdStreams;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Extracts a tar stream into a directory of a {@link RootedTree} ({@code docker cp - CONTAINER:DIR}). Every
 * entry's parent is resolved inside the tree (symlinks followed, but only ever within its root); the entry itself is created relative to the parent's
 * descriptor and never followed ({@code O_NOFOLLOW}, {@code O_EXCL}, {@code AT_SYMLINK_NOFOLLOW}), and
 * owner and mode are set through its own descriptor, so a symlink planted meanwhile cannot redirect a write
 * or a chown. Existing non-directories are replaced, as Docker does; a directory is never replaced by a
 * non-directory. Missing parent directories are created. Device nodes and fifos are skipped.
 */
public final class TreeExtractor {
    private TreeExtractor() {
    }

    public static void extract(RootedTree tree, String dir, InputStream in, Ownership owner) throws IOException {
        try (RootedTree.Entry top = tree.find(dir, true).orElseThrow(() ->
                new ContainerPathNotFoundException("destination directory " + dir + " does not exist"))) {
            if (!top.isDirectory()) {
                throw new ContainerException("destination " + dir + " is not a directory");
            }
            TarArchiveInputStream tar = new TarArchiveInputStream(in);
            TarArchiveEntry e;
            while ((e = tar.getNextEntry()) != null) {
                List<String> parts = components(e.getName());
                if (parts.isEmpty()) {
                    continue; // "./": the directory itself
                }
                try (RootedTree.Entry parent = parentOf(tree, dir, top, parts)) {
                    create(top, parent, parts.getLast(), e, tar, owner);
                }
            }
        }
    }

    /** The name's components; {@code ..} anywhere is refused, a leading {@code /} or {@code ./} dropped. */
    static List<String> components(String name) {
        List<String> parts = new ArrayList<>();
        for (String p : name.split("/")) {
            if (p.equals("..")) {
                throw new UnsafePathException("archive entry \"" + name + "\" has a \"..\" component");
            }
            if (!p.isEmpty() && !p.equals(".")) {
                parts.add(p);
            }
        }
        return parts;
    }

    /**
     * The directory the entry goes in, made (0755) where the archive did not list it first. Symlinks on the
     * way are followed as Docker does, but resolved by the kernel inside the tree's root: an archive's own
     * {@code link -> /} followed by {@code link/x} writes the container's {@code /x}, never the host's.
     */
    private static RootedTree.Entry parentOf(RootedTree tree, String dir, RootedTree.Entry top, List<String> parts) {
        RootedTree.Entry cur = top.reopen();
        StringBuilder path = new StringBuilder(dir);
        for (String p : parts.subList(0, parts.size() - 1)) {
            path.append('/').append(p);
            Optional<RootedTree.Entry> next = tree.find(path.toString(), true);
            if (next.isEmpty()) {
                FileAt.mkdirat(cur.fd(), p, 0755);
                next = tree.find(path.toString(), true);
            }
            cur.close();
            cur = next.orElseThrow();
            if (!cur.isDirectory()) {
                cur.close();
                throw new ContainerException("cannot extract into " + path + ": not a directory");
            }
        }
        return cur;
    }

    private static void create(RootedTree.Entry top, RootedTree.Entry parent, String name,
                               TarArchiveEntry e, InputStream content, Ownership owner) throws IOException {
        long uid = owner.uid().applyAsLong(e.getLongUserId());
        long gid = owner.gid().applyAsLong(e.getLongGroupId());
        int mode = e.getMode() & 07777;
        int p = parent.fd();
        Optional<RootedTree.Entry> existing = parent.child(name);
        boolean existingDir = existing.map(x -> {
            boolean d = x.isDirectory();
            x.close();
            return d;
        }).orElse(false);
        if (e.isDirectory()) {
            if (existing.isPresent() && !existingDir) {
                FileAt.unlinkat(p, name, 0);
            }
            if (!existingDir) {
                FileAt.mkdirat(p, name, 0700);
            }
            int fd = FileAt.openat(p, name, FileAt.O_RDONLY | FileAt.O_DIRECTORY | FileAt.O_NOFOLLOW, 0);
            try {
                FileAt.fchown(fd, uid, gid);
                FileAt.fchmod(fd, mode);
            } finally {
                dev.jcontainers.linux.ffm.Unistd.close(fd);
            }
            return;
        }
        if (existingDir) {
            throw new ContainerException("cannot overwrite directory \"" + name + "\" with a non-directory");
        }
        if (e.isSymbolicLink()) {
            FileAt.unlinkat(p, name, 0);
            FileAt.symlinkat(e.getLinkName(), p, name);
            FileAt.lchownat(p, name, uid, gid);
        } else if (e.isLink()) { // a hard link to an entry extracted before, named from the top directory
            try (RootedTree.Entry t = resolveFrom(top, components(e.getLinkName()))) {
                FileAt.unlinkat(p, name, 0);
                FileAt.linkFd(t.fd(), p, name);
            }
        } else if (!e.isCharacterDevice() && !e.isBlockDevice() && !e.isFIFO()) {
            FileAt.unlinkat(p, name, 0);
            int fd = FileAt.openat(p, name, FileAt.O_WRONLY | FileAt.O_CREAT | FileAt.O_EXCL | FileAt.O_NOFOLLOW, 0600);
            try (OutputStream out = FdStreams.output(fd)) {
                FileAt.fchown(fd, uid, gid);
                FileAt.fchmod(fd, mode); // after chown, which clears set-id bits
                content.transferTo(out);
                Files.setLastModifiedTime(Path.of("/proc/self/fd", Integer.toString(fd)), e.getLastModifiedTime());
            }
        }
        // device nodes and fifos: skipped
    }

    /** {@code parts} below {@code top}, component by component, following no symlink. */
    private static RootedTree.Entry resolveFrom(RootedTree.Entry top, List<String> parts) {
        RootedTree.Entry cur = top.reopen();
        for (String p : parts) {
            Optional<RootedTree.Entry> next = cur.child(p);
            cur.close();
            cur = next.orElseThrow(() -> new ContainerPathNotFoundException("hard link target " + p + " not found"));
        }
        return cur;
    }
}
