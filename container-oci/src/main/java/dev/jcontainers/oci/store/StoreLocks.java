package dev.jcontainers.oci.store;

import dev.jcontainers.api.StorageException;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * The locks of one store root, shared by every {@link OciStore} of this JVM opened on that root.
 *
 * <p>File locks serialise JVMs but not threads: the JVM holds them per process, a second lock on an
 * overlapping range throws {@code OverlappingFileLockException}, and closing any channel of the file may
 * drop all of the process's locks on it. So each file lock is only taken by a thread that already holds the
 * matching in-JVM lock, and that state must be per root (a static registry), not per store instance.
 */
final class StoreLocks {
    private static final Map<Path, StoreLocks> BY_ROOT = new ConcurrentHashMap<>();

    private final Path indexLockFile;
    private final Path gcLockFile;
    private final ReentrantLock indexLock = new ReentrantLock();

    // Lease/GC state, guarded by "this". Leases are counted rather than held as ReadWriteLock read locks
    // because a lease may be closed by a different thread than the one that opened it.
    private int openLeases;
    private boolean gcRunning;
    private FileChannel sharedGcChannel;

    private StoreLocks(Path lockDir) {
        this.indexLockFile = lockDir.resolve("index.lock");
        this.gcLockFile = lockDir.resolve("gc.lock");
    }

    /** The locks of the store whose real (symlink-free) root is {@code realRoot}. */
    static StoreLocks forRoot(Path realRoot, Path lockDir) {
        return BY_ROOT.computeIfAbsent(realRoot, r -> new StoreLocks(lockDir));
    }

    /** Runs {@code action} holding index.json's lock against other threads and other processes. */
    <T> T withIndexLock(Supplier<T> action) {
        indexLock.lock();
        try (FileChannel ch = openLockFile(indexLockFile); FileLock ignored = ch.lock()) {
            return action.get();
        } catch (IOException e) {
            throw AtomicFiles.failure("cannot lock " + indexLockFile, e);
        } finally {
            indexLock.unlock();
        }
    }

    /** Registers an open lease; waits while a GC of this JVM runs, or another process's GC holds the lock. */
    synchronized void acquireLease() {
        while (gcRunning) {
            awaitChange();
        }
        if (openLeases == 0) {
            FileChannel ch = openLockFile(gcLockFile);
            try {
                ch.lock(0, Long.MAX_VALUE, true);
            } catch (IOException e) {
                closeQuietly(ch);
                throw AtomicFiles.failure("cannot lock " + gcLockFile, e);
            }
            sharedGcChannel = ch;
        }
        openLeases++;
    }

    synchronized void releaseLease() {
        if (openLeases <= 0) {
            throw new IllegalStateException("no open lease");
        }
        openLeases--;
        if (openLeases == 0) {
            closeQuietly(sharedGcChannel); // releases the shared lock
            sharedGcChannel = null;
        }
        notifyAll();
    }

    /** Runs {@code gc} once no lease is open in this JVM nor in any other process sharing the root. */
    <T> T exclusiveForGc(Supplier<T> gc) {
        synchronized (this) {
            while (gcRunning || openLeases > 0) {
                awaitChange();
            }
            gcRunning = true;
        }
        try (FileChannel ch = openLockFile(gcLockFile); FileLock ignored = ch.lock()) {
            return gc.get();
        } catch (IOException e) {
            throw AtomicFiles.failure("cannot lock " + gcLockFile, e);
        } finally {
            synchronized (this) {
                gcRunning = false;
                notifyAll();
            }
        }
    }

    private void awaitChange() {
        try {
            wait();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StorageException("interrupted while waiting for the store's gc lock", e);
        }
    }

    private static FileChannel openLockFile(Path file) {
        try {
            // READ too: a shared lock needs a readable channel.
            return FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw AtomicFiles.failure("cannot open lock file " + file, e);
        }
    }

    private static void closeQuietly(FileChannel ch) {
        try {
            ch.close();
        } catch (IOException e) {
            // closing a lock file cannot lose data
        }
    }
}
