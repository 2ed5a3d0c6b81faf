package dev.jcontainers.linux.fs;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import dev.jcontainers.linux.ffm.Errno;
import dev.jcontainers.linux.ffm.FileAt;
import dev.jcontainers.linux.ffm.LinuxException;
import dev.jcontainers.linux.ffm.Unistd;

/**
 * A directory tree that is only ever addressed through a descriptor of its root: every path is resolved
 * by the kernel with {@code openat2(RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS)}, so {@code ..}, absolute
 * symlinks and {@code /proc/<pid>/root}-style magic links can never lead out of it, whatever the tree's
 * owner (a container's processes) does meanwhile. Found entries are held as {@code O_PATH} descriptors, so
 * what is checked is what is used: reading, listing and changing an entry go through its descriptor
 * (or {@code /proc/self/fd/N}, which reaches exactly that inode), never through its path again.
 */
public final class RootedTree implements AutoCloseable {
    public static final int S_IFMT = 0170000;
    public static final int S_IFDIR = 0040000;
    public static final int S_IFREG = 0100000;
    public static final int S_IFLNK = 0120000;
    public static final int S_IFCHR = 0020000;
    public static final int S_IFBLK = 0060000;
    public static final int S_IFIFO = 0010000;

    private static final long RESOLVE = FileAt.RESOLVE_IN_ROOT | FileAt.RESOLVE_NO_MAGICLINKS;

    private final int rootFd;

    private RootedTree(int rootFd) {
        this.rootFd = rootFd;
    }

    /** Opens {@code root} (resolved by the host as usual) as the root of a tree. */
    public static RootedTree open(Path root) {
        return new RootedTree(Unistd.open(root, FileAt.O_PATH | FileAt.O_DIRECTORY | FileAt.O_CLOEXEC));
    }

    /**
     * The entry at {@code path} (absolute or relative, both from the tree's root); empty when it does not
     * exist. With {@code followLast} a symlink as the last component is followed (inside the tree).
     *
     * @throws LinuxException ELOOP for a magic link or a symlink loop, ENOTDIR, EACCES, ...
     */
    public Optional<Entry> find(String path, boolean followLast) {
        try {
            int flags = FileAt.O_PATH | (followLast ? 0 : FileAt.O_NOFOLLOW);
            return Optional.of(new Entry(FileAt.openat2(rootFd, path.isEmpty() ? "/" : path, flags, RESOLVE)));
        } catch (LinuxException e) {
            if (e.errno() == Errno.ENOENT) {
                return Optional.empty();
            }
            throw e;
        }
    }

    @Override
    public void close() {
        Unistd.close(rootFd);
    }

    /** One entry of the tree, pinned by an {@code O_PATH} descriptor. */
    public static final class Entry implements AutoCloseable {
        private final int fd;
        private Map<String, Object> unix;

        Entry(int fd) {
            this.fd = fd;
        }

        /** The descriptor, for the {@code *at()} calls. */
        public int fd() {
            return fd;
        }

        /** A path that reaches exactly this inode (the kernel's magic link for the descriptor). */
        public Path procPath() {
            return Path.of("/proc/self/fd", Integer.toString(fd));
        }

        /**
         * The entry's own {@code stat} (a symlink's, not its target's), as the {@code unix} attribute view
         * names it: {@code mode} (type bits included), {@code uid}, {@code gid}, {@code size},
         * {@code lastModifiedTime}, {@code nlink}, {@code dev}, {@code ino}, {@code rdev}.
         */
        public Map<String, Object> stat() {
            if (unix == null) {
                try {
                    unix = Files.readAttributes(procPath(), "unix:*");
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            return unix;
        }

        /** The file type bits of {@code st_mode} ({@code S_IFMT}). */
        public int type() {
            return (Integer) stat().get("mode") & S_IFMT;
        }

        public boolean isDirectory() {
            return type() == S_IFDIR;
        }

        /** A second descriptor of the same entry, closed independently. */
        public Entry reopen() {
            return new Entry(FileAt.openat2(fd, ".", FileAt.O_PATH, FileAt.RESOLVE_BENEATH));
        }

        /** The child {@code name} (one component), not following it if it is a symlink; empty if absent. */
        public Optional<Entry> child(String name) {
            if (name.isEmpty() || name.indexOf('/') >= 0 || name.equals(".") || name.equals("..")) {
                throw new IllegalArgumentException("not a single path component: " + name);
            }
            try {
                return Optional.of(new Entry(FileAt.openat2(fd, name, FileAt.O_PATH | FileAt.O_NOFOLLOW,
                        FileAt.RESOLVE_BENEATH | FileAt.RESOLVE_NO_MAGICLINKS)));
            } catch (LinuxException e) {
                if (e.errno() == Errno.ENOENT) {
                    return Optional.empty();
                }
                throw e;
            }
        }

        public String readSymlink() {
            return FileAt.readlink(fd);
        }

        /** A regular file's content. */
        public InputStream read() throws IOException {
            if (type() != S_IFREG) {
                throw new IOException("not a regular file");
            }
            return Files.newInputStream(procPath());
        }

        /** A directory's entry names, sorted. */
        public List<String> list() throws IOException {
            try (Stream<Path> names = Files.list(procPath())) {
                return names.map(p -> p.getFileName().toString()).sorted().toList();
            }
        }

        @Override
        public void close() {
            Unistd.close(fd);
        }
    }

    /** The descriptor of the root, for creating entries relative to it. */
    public int rootFd() {
        return rootFd;
    }
}
