package dev.jcontainers.core.container;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The right to probe one container's health, held by one engine at a time: a lock on the container's
 * {@code health.lock} against other JVMs, and a set of held files against other engines of this JVM (file
 * locks are per process, and closing any channel of a locked file may drop the process's lock on it, so a
 * channel is opened only by the engine that is about to hold the lock). Released when the engine stops
 * probing, closes or dies, so another engine on the same root can take over.
 */
final class HealthLease implements AutoCloseable {
    static final String FILE = "health.lock";
    private static final Set<Path> HELD_IN_THIS_JVM = ConcurrentHashMap.newKeySet();

    private final Path file;
    private final FileChannel channel;

    private HealthLease(Path file, FileChannel channel) {
        this.file = file;
        this.channel = channel;
    }

    /** Creates the lock file of a container being created or started; leases never create it. */
    static void prepare(Path containerDir) {
        try {
            java.nio.file.Files.newByteChannel(containerDir.resolve(FILE), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE).close();
        } catch (IOException e) {
            throw new dev.jcontainers.api.StorageException("cannot create " + containerDir.resolve(FILE) + ": "
                    + e.getMessage(), e);
        }
    }

    /** The lease if no other engine, here or in another JVM, holds it; empty also once the container is gone. */
    static Optional<HealthLease> tryAcquire(Path containerDir) {
        Path file = containerDir.resolve(FILE).toAbsolutePath().normalize();
        if (!HELD_IN_THIS_JVM.add(file)) {
            return Optional.empty();
        }
        FileChannel channel = null;
        try {
            channel = FileChannel.open(file, StandardOpenOption.WRITE);
            FileLock lock = channel.tryLock();
            if (lock != null) {
                return Optional.of(new HealthLease(file, channel));
            }
        } catch (IOException | OverlappingFileLockException e) {
            // held elsewhere, or the container directory is gone
        }
        closeQuietly(channel);
        HELD_IN_THIS_JVM.remove(file);
        return Optional.empty();
    }

    @Override
    public void close() {
        closeQuietly(channel);
        HELD_IN_THIS_JVM.remove(file);
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close(); // releases the lock
            } catch (IOException ignored) {
                // nothing left to release
            }
        }
    }
}
