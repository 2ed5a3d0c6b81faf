package dev.jcontainers.core.container;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Deletes removed containers' directories off the caller's path. {@link #discard} renames a directory into
 * {@code containers/.trash/} (one atomic rename: the container is gone from every listing at once, and its ID,
 * 256 random bits, is never reused), and a background thread deletes the tree. Deleting an upper directory is
 * the slowest part of a removal (on ext4 a burst of unlinks can take tens of milliseconds), and nobody waits for
 * it in Docker either once the container is gone from the list.
 *
 * <p>Nothing is leaked: {@link #close} (the engine's close, its shutdown hook) waits for pending deletions, and
 * whatever a crashed JVM left in the trash is deleted by the next engine on the same root.
 */
final class Trash implements AutoCloseable {
    private static final long CLOSE_TIMEOUT_SECONDS = 120;
    private static final long IDLE_MILLIS = 500;

    private final Path dir;
    /** One thread, in order (so {@link #close} can wait with a barrier), gone when idle. */
    private final ThreadPoolExecutor deleter = new ThreadPoolExecutor(1, 1, IDLE_MILLIS, TimeUnit.MILLISECONDS,
            new LinkedBlockingQueue<>(), Thread.ofPlatform().daemon().name("jc-trash").factory());

    Trash(Path dir) {
        this.dir = dir;
        deleter.allowCoreThreadTimeOut(true);
    }

    /** Schedules deletion of what a crashed JVM (or one that did not close its engine) left in the trash. */
    void collectLeftovers() {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path p : entries) {
                schedule(p);
            }
        } catch (NoSuchFileException e) {
            // no trash yet
        } catch (IOException e) {
            // best effort: the next engine tries again
        }
    }

    /**
     * Takes {@code tree} out of its parent at once and deletes it in the background. Where it cannot be moved
     * (the trash is on another file system), it is deleted here and now.
     */
    void discard(Path tree) throws IOException {
        if (!Files.exists(tree)) {
            return;
        }
        Files.createDirectories(dir);
        Path target = dir.resolve(tree.getFileName() + "-" + UUID.randomUUID());
        try {
            Files.move(tree, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            deleteTree(tree);
            return;
        }
        schedule(target);
    }

    private void schedule(Path tree) {
        deleter.execute(() -> {
            try {
                deleteTree(tree);
            } catch (IOException e) {
                // left for the next engine's collectLeftovers
            }
        });
    }

    /** Deletes a tree; entries that vanish meanwhile (another engine collecting the same trash) are fine. */
    static void deleteTree(Path tree) throws IOException {
        Files.walkFileTree(tree, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.deleteIfExists(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                if (e instanceof NoSuchFileException) {
                    return FileVisitResult.CONTINUE;
                }
                throw e;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                if (e != null && !(e instanceof NoSuchFileException)) {
                    throw e;
                }
                Files.deleteIfExists(d);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    /** Waits for every deletion scheduled so far; the trash stays usable. */
    @Override
    public void close() {
        try {
            deleter.submit(() -> { }).get(CLOSE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // a deletion that hangs this long is left for the next engine's collectLeftovers
        }
    }
}
