package dev.jcontainers.core.volume;

import dev.jcontainers.api.StorageException;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;

/**
 * Docker's copy-up: a volume mounted over a directory of the image starts with that directory's content,
 * if it is empty. Modes, owners, times, symlinks and device nodes are kept; hard links become copies, as
 * Docker's copier does too. The volume's root takes the mode and owner of the image directory.
 */
final class CopyUp {
    /** As the kernel's limit on symlinks followed in one lookup (MAXSYMLINKS). */
    private static final int MAX_LINKS = 40;

    private CopyUp() {
    }

    static void intoEmpty(Path rootfs, String target, Path data) {
        try {
            Optional<Path> source = resolveInScope(rootfs, target);
            if (source.isEmpty() || !Files.isDirectory(source.get(), LinkOption.NOFOLLOW_LINKS) || !isEmpty(data)) {
                return;
            }
            copyTree(source.get(), data);
        } catch (IOException e) {
            throw new StorageException("cannot copy " + target + " of the image into volume " + data + ": "
                    + e.getMessage(), e);
        }
    }

    private static boolean isEmpty(Path dir) throws IOException {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            return !entries.iterator().hasNext();
        }
    }

    private static void copyTree(Path source, Path data) throws IOException {
        Files.walkFileTree(source, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                if (!dir.equals(source)) {
                    Files.copy(dir, data.resolve(source.relativize(dir)), StandardCopyOption.COPY_ATTRIBUTES,
                            LinkOption.NOFOLLOW_LINKS);
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.copy(file, data.resolve(source.relativize(file)), StandardCopyOption.COPY_ATTRIBUTES,
                        LinkOption.NOFOLLOW_LINKS);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException failure) throws IOException {
                if (failure != null) {
                    throw failure;
                }
                // adding the entries moved the copy's mtime; the image's is what the copy should show
                FileTime modified = Files.getLastModifiedTime(dir, LinkOption.NOFOLLOW_LINKS);
                Path copy = data.resolve(source.relativize(dir));
                if (dir.equals(source)) {
                    Files.setPosixFilePermissions(copy, Files.getPosixFilePermissions(dir, LinkOption.NOFOLLOW_LINKS));
                    Files.setAttribute(copy, "unix:uid", Files.getAttribute(dir, "unix:uid", LinkOption.NOFOLLOW_LINKS));
                    Files.setAttribute(copy, "unix:gid", Files.getAttribute(dir, "unix:gid", LinkOption.NOFOLLOW_LINKS));
                }
                Files.setLastModifiedTime(copy, modified);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    /**
     * {@code target} looked up inside {@code rootfs} as the container would see it: symlinks are followed,
     * but an absolute link or {@code ..} never leaves the root. Empty when a component does not exist or
     * links loop.
     */
    static Optional<Path> resolveInScope(Path rootfs, String target) throws IOException {
        Deque<String> todo = new ArrayDeque<>();
        pushFront(todo, target);
        Path current = rootfs;
        int links = 0;
        while (!todo.isEmpty()) {
            String part = todo.pollFirst();
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                current = current.equals(rootfs) ? rootfs : current.getParent();
                continue;
            }
            Path next = current.resolve(part);
            if (Files.isSymbolicLink(next)) {
                if (++links > MAX_LINKS) {
                    return Optional.empty();
                }
                String link = Files.readSymbolicLink(next).toString();
                pushFront(todo, link);
                if (link.startsWith("/")) {
                    current = rootfs;
                }
                continue;
            }
            if (!Files.exists(next, LinkOption.NOFOLLOW_LINKS)) {
                return Optional.empty();
            }
            current = next;
        }
        return Optional.of(current);
    }

    private static void pushFront(Deque<String> todo, String path) {
        String[] parts = path.split("/");
        for (int i = parts.length - 1; i >= 0; i--) {
            todo.addFirst(parts[i]);
        }
    }
}
