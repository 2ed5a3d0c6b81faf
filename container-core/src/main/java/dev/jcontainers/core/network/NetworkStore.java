package dev.jcontainers.core.network;

import dev.jcontainers.api.StorageException;
import dev.jcontainers.oci.image.OciJson;
import dev.jcontainers.oci.store.AtomicFiles;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * Networks on disk: {@code networks/<name>.json}, each write atomic and durable. Every read-modify-write
 * (create, address allocation and release, removal) runs under {@link #locked}: one lock for all networks of a
 * root, so the overlap check and two JVMs allocating on one network are both safe.
 *
 * <p>Which link wires a running container ({@link NetworkRecord.Endpoint#veth()}) changes at every start and
 * exit, and lives apart from the record: an empty file {@code networks/.wiring/<network>/<container ID>.<link>}
 * per wired endpoint, merged into the records as they are read. Creating or deleting an empty file is atomic
 * and writes no data; replacing the record instead, at each start, cost ~1 ms (ext4 flushes the data of a
 * file renamed over another, its {@code auto_da_alloc}), several under load. The files need no fsync: a
 * power loss ends the containers they describe. Records written before kept the link inside, which is still
 * read and moves out at the next write of the record.
 *
 * <p>File locks serialise JVMs, not threads (a second lock in one JVM throws), so the file lock is taken only
 * by the thread holding the in-JVM lock of that root, kept in a static registry.
 */
final class NetworkStore {
    private static final Map<Path, ReentrantLock> JVM_LOCKS = new ConcurrentHashMap<>();
    private static final String SUFFIX = ".json";

    private final Path dir;
    private final Path tmp;
    private final Path wiring;
    private final Path lockFile;
    private final ReentrantLock jvmLock;

    NetworkStore(Path networksDir) {
        this.dir = networksDir;
        this.tmp = networksDir.resolve(".tmp");
        this.wiring = networksDir.resolve(".wiring");
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
            return Optional.of(withWiring(OciJson.mapper().readValue(json, NetworkRecord.class)));
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

    /**
     * Writes the record, and makes the wiring files say what its endpoints do (so an older record's links move
     * there, and a file left by a crash for an endpoint gone since is deleted).
     */
    void save(NetworkRecord record) {
        Map<String, NetworkRecord.Endpoint> unwired = new LinkedHashMap<>();
        Set<String> wired = new HashSet<>();
        record.endpoints().forEach((id, e) -> {
            if (e.wired()) {
                wired.add(id + "." + e.veth());
            }
            unwired.put(id, e.withVeth(null));
        });
        syncWiring(record.name(), wired);
        NetworkRecord bare = new NetworkRecord(record.id(), record.name(), record.bridge(), record.subnet(),
                record.gateway(), record.internal(), record.created(), unwired, record.driver(), record.options());
        try {
            AtomicFiles.write(file(record.name()), toJson(bare), tmp, ".network-");
        } catch (IOException e) {
            throw new StorageException("cannot write network " + record.name() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Records that the container's endpoint on {@code record} is now wired by {@code link} (null: unwired),
     * where {@code record} is the network as read before the change.
     */
    void saveWiring(NetworkRecord record, String containerId, String link) {
        NetworkRecord.Endpoint before = record.endpoints().get(containerId);
        if (before.wired() && !before.veth().equals(link)) {
            boolean fromFile;
            try {
                fromFile = Files.deleteIfExists(wiringFile(record.name(), containerId, before.veth()));
            } catch (IOException e) {
                throw new StorageException("cannot record the unwiring of network " + record.name() + ": "
                        + e.getMessage(), e);
            }
            if (!fromFile) { // an older record holding the link itself
                save(record.withEndpoint(containerId, before.withVeth(link)));
                return;
            }
        }
        if (link != null) {
            markWired(record.name(), containerId, link);
        }
    }

    void delete(String name) {
        try {
            Files.deleteIfExists(file(name));
            Path links = wiring.resolve(name);
            if (Files.isDirectory(links)) {
                try (DirectoryStream<Path> files = Files.newDirectoryStream(links)) {
                    for (Path f : files) {
                        Files.deleteIfExists(f);
                    }
                }
                Files.deleteIfExists(links);
            }
        } catch (IOException e) {
            throw new StorageException("cannot delete network " + name + ": " + e.getMessage(), e);
        }
    }

    /** Makes the wiring files of {@code network} exactly {@code wanted} ({@code <container ID>.<link>}). */
    private void syncWiring(String network, Set<String> wanted) {
        Path links = wiring.resolve(network);
        Set<String> present = new HashSet<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(links)) {
            for (Path f : files) {
                if (!wanted.contains(f.getFileName().toString())) {
                    Files.deleteIfExists(f);
                } else {
                    present.add(f.getFileName().toString());
                }
            }
        } catch (NoSuchFileException e) {
            // nothing was ever wired on this network
        } catch (IOException e) {
            throw new StorageException("cannot update the wiring of network " + network + ": " + e.getMessage(), e);
        }
        for (String file : wanted) {
            if (!present.contains(file)) {
                int dot = file.indexOf('.');
                markWired(network, file.substring(0, dot), file.substring(dot + 1));
            }
        }
    }

    private void markWired(String network, String containerId, String link) {
        Path file = wiringFile(network, containerId, link);
        try {
            try {
                Files.createFile(file);
            } catch (NoSuchFileException e) { // the network's first wiring: exceptions are dear on every start
                Files.createDirectories(file.getParent());
                Files.createFile(file);
            }
        } catch (FileAlreadyExistsException e) {
            // recorded already
        } catch (IOException e) {
            throw new StorageException("cannot record the wiring of network " + network + ": " + e.getMessage(), e);
        }
    }

    /** The record with the links of its wired endpoints from the wiring files (files of no endpoint are ignored). */
    private NetworkRecord withWiring(NetworkRecord record) {
        Path links = wiring.resolve(record.name());
        if (!Files.isDirectory(links)) { // nothing was ever wired on this network (tested first: no exception)
            return record;
        }
        Map<String, NetworkRecord.Endpoint> endpoints = new LinkedHashMap<>(record.endpoints());
        boolean changed = false;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(links)) {
            for (Path f : files) {
                String file = f.getFileName().toString();
                int dot = file.indexOf('.');
                NetworkRecord.Endpoint e = dot > 0 ? endpoints.get(file.substring(0, dot)) : null;
                if (e != null) {
                    endpoints.put(file.substring(0, dot), e.withVeth(file.substring(dot + 1)));
                    changed = true;
                }
            }
        } catch (NoSuchFileException e) {
            return record; // the network was removed meanwhile
        } catch (IOException e) {
            throw new StorageException("cannot read the wiring of network " + record.name() + ": " + e.getMessage(), e);
        }
        return changed ? new NetworkRecord(record.id(), record.name(), record.bridge(), record.subnet(), record.gateway(),
                record.internal(), record.created(), endpoints, record.driver(), record.options()) : record;
    }

    private Path wiringFile(String network, String containerId, String link) {
        return wiring.resolve(network).resolve(containerId + "." + link);
    }

    private Path file(String name) {
        return dir.resolve(name + SUFFIX);
    }
}
