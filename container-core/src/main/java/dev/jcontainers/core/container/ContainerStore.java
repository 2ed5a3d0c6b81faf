package dev.jcontainers.core.container;

import dev.jcontainers.api.ContainerException;
import dev.jcontainers.api.ContainerNotFoundException;
import dev.jcontainers.api.StorageException;
import dev.jcontainers.oci.store.AtomicFiles;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Containers on disk: {@code containers/<id>/} per container and {@code containers/.names/<name>} holding
 * the ID that owns a name. A name is claimed by creating its file exclusively, so two JVMs can never give
 * two containers one name; every record write is atomic.
 */
public final class ContainerStore implements AutoCloseable {
    /** Docker's rule for container names. */
    private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.-]*");
    private static final String RECORD = "container.json";
    private final Path dir;
    private final Path names;
    private final Path tmp;
    private final Trash trash;

    public ContainerStore(Path containersDir) {
        this.dir = containersDir;
        this.names = containersDir.resolve(".names");
        this.tmp = containersDir.resolve(".tmp");
        this.trash = new Trash(containersDir.resolve(".trash"));
        try {
            AtomicFiles.ensureDirectory(names);
            AtomicFiles.ensureDirectory(tmp);
        } catch (IOException e) {
            throw new StorageException("cannot create " + containersDir + ": " + e.getMessage(), e);
        }
    }

    public Path dir(String id) {
        return dir.resolve(id);
    }

    /** Claims the name and creates the container's directory; undone by {@link #delete}. */
    public void create(ContainerRecord record) {
        if (!NAME.matcher(record.name()).matches()) {
            throw new ContainerException("Invalid container name (" + record.name()
                    + "), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed");
        }
        Path nameFile = names.resolve(record.name());
        try {
            Files.write(nameFile, record.id().getBytes(StandardCharsets.UTF_8),
                    java.nio.file.StandardOpenOption.CREATE_NEW, java.nio.file.StandardOpenOption.WRITE);
        } catch (FileAlreadyExistsException e) {
            String owner = readOwner(nameFile).orElse("?");
            throw new ContainerException("Conflict. The container name \"/" + record.name()
                    + "\" is already in use by container \"" + owner + "\". You have to remove (or rename) that "
                    + "container to be able to reuse that name.");
        } catch (IOException e) {
            throw new StorageException("cannot claim container name " + record.name() + ": " + e.getMessage(), e);
        }
        try {
            Files.createDirectory(dir(record.id()));
            save(record);
        } catch (IOException | RuntimeException e) {
            AtomicFiles.deleteQuietly(nameFile);
            throw e instanceof RuntimeException r ? r : new StorageException("cannot create container directory", e);
        }
    }

    /**
     * Publishes the record atomically. A detached container's record is also fsynced: it outlives this JVM
     * and must survive a host crash. A sandbox's is not: the sandbox dies with its JVM, so after a host crash
     * there is nothing to resume, and the fsyncs were a good part of a short container's life. A record torn
     * by a crash (empty) is collected by {@link #collectTorn}.
     */
    public void save(ContainerRecord record) {
        byte[] bytes = ContainerRecordJson.write(record);
        Path file = dir(record.id()).resolve(RECORD);
        if (record.detached()) {
            AtomicFiles.write(file, bytes, tmp, "record-");
        } else {
            AtomicFiles.writeUnsynced(file, bytes, tmp, "record-");
        }
    }

    /** The record; empty if there is none, or if a host crash left it empty (see {@link #save}). */
    public Optional<ContainerRecord> load(String id) {
        try {
            byte[] bytes = Files.readAllBytes(dir(id).resolve(RECORD));
            return bytes.length == 0 ? Optional.empty() : Optional.of(ContainerRecordJson.read(bytes));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new StorageException("cannot read state of container " + id + ": " + e.getMessage(), e);
        }
    }

    public List<ContainerRecord> list() {
        List<ContainerRecord> out = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, "[0-9a-f]*")) {
            for (Path p : entries) {
                load(p.getFileName().toString()).ifPresent(out::add);
            }
        } catch (IOException e) {
            throw new StorageException("cannot list containers: " + e.getMessage(), e);
        }
        return out;
    }

    /** The ID for a name, a full ID, or a unique ID prefix. */
    public String resolve(String nameOrId) {
        String bare = nameOrId.startsWith("/") ? nameOrId.substring(1) : nameOrId;
        if (NAME.matcher(bare).matches()) {
            Optional<String> byName = readOwner(names.resolve(bare));
            if (byName.isPresent() && Files.isDirectory(dir(byName.get()))) {
                return byName.get();
            }
        }
        if (bare.matches("[0-9a-f]{1,64}")) {
            List<String> matches = new ArrayList<>();
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, bare + "*")) {
                for (Path p : entries) {
                    if (Files.exists(p.resolve(RECORD))) {
                        matches.add(p.getFileName().toString());
                    }
                }
            } catch (IOException e) {
                throw new StorageException("cannot list containers: " + e.getMessage(), e);
            }
            if (matches.size() == 1) {
                return matches.getFirst();
            }
            if (matches.size() > 1) {
                throw new ContainerException("multiple containers match ID prefix " + bare + ": " + matches);
            }
        }
        throw new ContainerNotFoundException(nameOrId);
    }

    /**
     * Removes what a host crash left of sandboxes whose unsynced record came back empty: their directory
     * (nothing can be mounted in it after a reboot) and the name that pointed to it. Returns their IDs.
     */
    public List<String> collectTorn() {
        List<String> torn = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, "[0-9a-f]*")) {
            for (Path p : entries) {
                Path record = p.resolve(RECORD);
                if (Files.isRegularFile(record) && Files.size(record) == 0) {
                    torn.add(p.getFileName().toString());
                }
            }
            for (String id : torn) {
                Trash.deleteTree(dir(id));
            }
            if (!torn.isEmpty()) {
                try (DirectoryStream<Path> nameFiles = Files.newDirectoryStream(names)) {
                    for (Path nameFile : nameFiles) {
                        if (readOwner(nameFile).filter(torn::contains).isPresent()) {
                            AtomicFiles.deleteQuietly(nameFile);
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new StorageException("cannot collect torn container records: " + e.getMessage(), e);
        }
        return torn;
    }

    /**
     * Deletes the container's directory (which must hold no mounts any more) and releases its name. The
     * directory leaves the store at once; its files are deleted in the background (see {@link Trash}).
     */
    public void delete(ContainerRecord record) {
        Path d = dir(record.id());
        try {
            trash.discard(d);
        } catch (IOException e) {
            throw new StorageException("cannot remove " + d + ": " + e.getMessage(), e);
        }
        Path nameFile = names.resolve(record.name());
        if (readOwner(nameFile).filter(record.id()::equals).isPresent()) {
            AtomicFiles.deleteQuietly(nameFile);
        }
    }

    /** Deletes, in the background, what a crashed JVM left half deleted. */
    public void collectTrash() {
        trash.collectLeftovers();
    }

    /** Waits for the deletion of removed containers' directories. */
    @Override
    public void close() {
        trash.close();
    }

    private static Optional<String> readOwner(Path nameFile) {
        try {
            return Optional.of(Files.readString(nameFile).trim());
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
