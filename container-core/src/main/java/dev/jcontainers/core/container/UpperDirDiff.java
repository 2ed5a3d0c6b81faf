package dev.jcontainers.core.container;

import dev.jcontainers.api.FileChange;
import dev.jcontainers.api.StorageException;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * {@code docker diff} from an overlay upper directory: a 0:0 character device is a deletion (overlayfs's
 * whiteout), anything else is a change when some image layer has the path and an addition otherwise.
 */
final class UpperDirDiff {
    private UpperDirDiff() {
    }

    /** @param layersBottomFirst the image's unpacked layer directories */
    static List<FileChange> of(Path upper, List<Path> layersBottomFirst) {
        List<FileChange> out = new ArrayList<>();
        try {
            Files.walkFileTree(upper, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                    if (!dir.equals(upper)) {
                        add(dir, attrs);
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    add(file, attrs);
                    return FileVisitResult.CONTINUE;
                }

                private void add(Path p, BasicFileAttributes attrs) {
                    String rel = "/" + upper.relativize(p).toString();
                    if (attrs.isOther() && isWhiteout(p)) {
                        out.add(new FileChange(FileChange.Kind.DELETED, rel));
                    } else {
                        boolean inImage = layersBottomFirst.stream()
                                .anyMatch(l -> Files.exists(l.resolve(rel.substring(1)), LinkOption.NOFOLLOW_LINKS));
                        out.add(new FileChange(inImage ? FileChange.Kind.CHANGED : FileChange.Kind.ADDED, rel));
                    }
                }
            });
        } catch (IOException e) {
            throw new StorageException("cannot read the container's changes in " + upper + ": " + e.getMessage(), e);
        }
        out.sort(Comparator.comparing(FileChange::path));
        return out;
    }

    private static boolean isWhiteout(Path p) {
        try {
            Object rdev = Files.getAttribute(p, "unix:rdev", LinkOption.NOFOLLOW_LINKS);
            return rdev instanceof Long l && l == 0L;
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }
}
