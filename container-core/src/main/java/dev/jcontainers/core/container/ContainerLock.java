package dev.jcontainers.core.container;

import dev.jcontainers.api.StorageException;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One container's lock against other threads and other JVMs on the same root, held while a run begins or ends:
 * start, the end of a run (whichever engine sees the exit first), removal, and a copy into or out of a stopped
 * container. Each changes the rootfs mount, the cgroup and the record together, so none may interleave with
 * another: an engine that sees an exit late must not unmount a rootfs another has just mounted for a new run.
 *
 * <p>A file lock on {@code containers/<id>/state.lock} plus a lock per file in this JVM (file locks are per
 * process, and closing any channel of a locked file may drop the process's lock), reentrant in one thread.
 */
final class ContainerLock implements AutoCloseable {
    static final String FILE = "state.lock";
    private static final Map<Path, ReentrantLock> IN_THIS_JVM = new ConcurrentHashMap<>();

    private final ReentrantLock jvmLock;
    private final FileChannel channel; // null when this thread already held the lock

    private ContainerLock(ReentrantLock jvmLock, FileChannel channel) {
        this.jvmLock = jvmLock;
        this.channel = channel;
    }

    /** Blocks until this thread holds the lock of the container in {@code dir}; empty if it has been removed. */
    static Optional<ContainerLock> acquire(Path dir) {
        Path file = dir.resolve(FILE).toAbsolutePath().normalize();
        ReentrantLock jvmLock = IN_THIS_JVM.computeIfAbsent(file, f -> new ReentrantLock());
        boolean outermost = !jvmLock.isHeldByCurrentThread();
        jvmLock.lock();
        if (!outermost) {
            return Optional.of(new ContainerLock(jvmLock, null));
        }
        FileChannel channel = null;
        try {
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            channel.lock(); // released when the channel closes
            return Optional.of(new ContainerLock(jvmLock, channel));
        } catch (NoSuchFileException e) { // the container's directory is gone: removed
            jvmLock.unlock();
            return Optional.empty();
        } catch (IOException | RuntimeException e) {
            closeQuietly(channel);
            jvmLock.unlock();
            throw new StorageException("cannot lock " + file + ": " + e.getMessage(), e);
        }
    }

    /** Drops this JVM's lock object of a removed container; a thread still waiting finds the directory gone. */
    static void forget(Path dir) {
        IN_THIS_JVM.remove(dir.resolve(FILE).toAbsolutePath().normalize());
    }

    @Override
    public void close() {
        closeQuietly(channel);
        jvmLock.unlock();
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // the lock goes with the descriptor
            }
        }
    }
}
