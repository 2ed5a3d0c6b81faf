package dev.jcontainers.oci.store;

import dev.jcontainers.api.StorageException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;

/**
 * Crash-safe file publication: write to a temp file on the same filesystem, fsync it, rename it over the
 * target, fsync the directory. A reader (or a process restarted after {@code kill -9}) sees either the old
 * or the new file, never a torn one.
 */
public final class AtomicFiles {
    private AtomicFiles() {
    }

    /**
     * {@link Files#createDirectories}, without its exceptions when the directory exists, the common case at an
     * engine's opening: the JDK's call tries mkdir first and catches the EEXIST (two exceptions each, tens of
     * microseconds or more in a cold JVM).
     */
    public static void ensureDirectory(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir);
        }
    }

    /** Replaces {@code target} with {@code content}, staging the bytes in {@code tmpDir}. */
    public static void write(Path target, byte[] content, Path tmpDir, String tmpPrefix) {
        write(target, content, tmpDir, tmpPrefix, true, null);
    }

    /** As {@link #write(Path, byte[], Path, String)}, the file given {@code permissions} before it takes the name. */
    public static void write(Path target, byte[] content, Path tmpDir, String tmpPrefix,
            Set<PosixFilePermission> permissions) {
        write(target, content, tmpDir, tmpPrefix, true, permissions);
    }

    /**
     * Replaces {@code target} atomically but without fsync: readers and a restart after {@code kill -9} see
     * the old or the new file, but after a power loss or kernel crash the file may be old, empty or missing.
     * For state that does not outlive the host's uptime anyway (a sandbox container's record dies with its
     * JVM); two fsyncs cost milliseconds on every write. {@link #makeDurable} upgrades such a file later.
     */
    public static void writeUnsynced(Path target, byte[] content, Path tmpDir, String tmpPrefix) {
        write(target, content, tmpDir, tmpPrefix, false, null);
    }

    /** Flushes a file written by {@link #writeUnsynced} and its directory entry to disk. */
    public static void makeDurable(Path file) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.force(true);
        } catch (IOException e) {
            throw failure("cannot sync " + file, e);
        }
        fsyncDirectory(file.getParent());
    }

    private static void write(Path target, byte[] content, Path tmpDir, String tmpPrefix, boolean durable,
            Set<PosixFilePermission> permissions) {
        Path tmp = null;
        try {
            tmp = Files.createTempFile(tmpDir, tmpPrefix, ".tmp");
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ByteBuffer buf = ByteBuffer.wrap(content);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                if (durable) {
                    ch.force(true);
                }
            }
            if (permissions != null) {
                Files.setPosixFilePermissions(tmp, permissions);
            }
            moveIntoPlace(tmp, target, durable);
            tmp = null;
        } catch (IOException e) {
            throw failure("cannot write " + target, e);
        } finally {
            deleteQuietly(tmp);
        }
    }

    /** Atomically renames a fully written and synced temp file to {@code target}, then syncs the directory. */
    static void moveIntoPlace(Path tmp, Path target) throws IOException {
        moveIntoPlace(tmp, target, true);
    }

    private static void moveIntoPlace(Path tmp, Path target, boolean durable) throws IOException {
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("temp file " + tmp + " is not on the filesystem of " + target, e);
        }
        if (durable) {
            fsyncDirectory(target.getParent());
        }
    }

    /**
     * Makes a rename durable. Not every platform can open a directory for fsync; there the rename is still
     * atomic, only its durability across power loss is up to the filesystem.
     */
    static void fsyncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // best effort, see above
        }
    }

    public static void deleteQuietly(Path path) {
        if (path == null) {
            return;
        }
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            // a leftover temp file is removed by gc once stale
        }
    }

    /** Wraps an I/O failure with the path it concerns; the cause keeps the OS reason (e.g. "No space left on device"). */
    static StorageException failure(String what, IOException cause) {
        String reason = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        return new StorageException(what + ": " + reason, cause);
    }
}
