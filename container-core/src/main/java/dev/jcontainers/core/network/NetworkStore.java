package dev.jcontainers.core.network;

import dev.jcontainers.api.StorageException;
import dev.jcontainers.oci.image.OciJson;
import dev.jcontainers.oci.store.AtomicFiles;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * Networks on disk: {@code networks/<name>.json}, each write atomic. Every read-modify-write (create, address
 * allocation and release, removal) runs under {@link #locked}: one lock for all networks of a root, so the
 * overlap check and two JVMs allocating on one network are both safe.
 *
 * <p>File locks serialise JVMs, not threads (a second lock in one JVM throws), so the file lock is taken only
 * by the thread holding the in-JVM lock of that root, kept in a static registry.
 */
final class NetworkStore {
    private static final Map<Path, ReentrantLock> JVM_LOCKS = new ConcurrentHashMap<>();
    private static final String SUFFIX = ".json";

    private final Path dir;
    private final Path tmp;
    private final Path lockFile;
    private final ReentrantLock jvmLock;

    NetworkStore(Path networksDir) {
        this.dir = networksDir;
        this.tmp = networksDir.resolve(".tmp");
        this.lockFile = networksDir.resolve(".lock");
        try {
            Files.createDirectories(tmp);
            this.jvmLock = JVM_LOCKS.computeIfAbsent(networksDir.toRealPath(), p -> new ReentrantLock());
        } catch (IOException e) {
            throw new StorageException("cannot create " + networksDir + ": " + e.getMessage(), e);
        }
    }

    /** Runs {@code action} holding the networks' lock against other threads and other JVMs; reentrant. */
    <T> T locked(Supplier<T> action) {
        if (jvmLock.isHeldByCurrentThread()) {
            return action.get();
        }
        jvmLock.lock();
        try (FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock ignored = ch.lock()) {
            return action.get();
        } catch (IOException e) {
            throw new StorageException("cannot lock " + lockFile + ": " + e.getMessage(), e);
        } finally {
            jvmLock.unlock();
        }
    }

    Optional<NetworkRecord> load(String name) {
        try {
            byte[] json = Files.readAllBytes(file(name)); // first: asking for an absent network needs no mapper
            return Optional.of(OciJson.mapper().readValue(json, NetworkRecord.class));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new StorageException("cannot read network " + name + ": " + e.getMessage(), e);
        }
    }

    List<NetworkRecord> list() {
        List<NetworkRecord> out = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*" + SUFFIX)) {
            for (Path f : files) {
                String name = f.getFileName().toString();
                load(name.substring(0, name.length() - SUFFIX.length())).ifPresent(out::add);
            }
        } catch (IOException e) {
            throw new StorageException("cannot list " + dir + ": " + e.getMessage(), e);
        }
        return out;
    }

    private static byte[] toJson(NetworkRecord record) throws IOException {
        return OciJson.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(record);
    }

    void save(NetworkRecord record) {
        try {
            AtomicFiles.write(file(record.name()), toJson(record), tmp, ".network-");
        } catch (IOException e) {
            throw new StorageException("cannot write network " + record.name() + ": " + e.getMessage(), e);
        }
    }

    /**
     * As {@link #save}, without the fsyncs: for what changes only the wiring of running containers (which
     * veth is whose), state that a power loss ends together with the containers. The rename still makes the
     * new record appear whole or not at all to readers and after a crash of this process.
     */
    void saveWiring(NetworkRecord record) {
        try {
            AtomicFiles.writeUnsynced(file(record.name()), toJson(record), tmp, ".wiring-");
        } catch (IOException e) {
            throw new StorageException("cannot write network " + record.name() + ": " + e.getMessage(), e);
        }
    }

    void delete(String name) {
        try {
            Files.deleteIfExists(file(name));
        } catch (IOException e) {
            throw new StorageException("cannot delete network " + name + ": " + e.getMessage(), e);
        }
    }

    private Path file(String name) {
        return dir.resolve(name + SUFFIX);
    }
}
