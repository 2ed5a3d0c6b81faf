package dev.jcontainers.core.volume;

import dev.jcontainers.api.ContainerException;
import dev.jcontainers.api.MountSpec;
import dev.jcontainers.api.StorageException;
import dev.jcontainers.api.VolumeInUseException;
import dev.jcontainers.api.VolumeInfo;
import dev.jcontainers.api.VolumeManager;
import dev.jcontainers.api.VolumeNotFoundException;
import dev.jcontainers.oci.image.OciJson;
import dev.jcontainers.oci.store.AtomicFiles;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Local volumes over one engine root, laid out as Docker's {@code local} driver does:
 * {@code volumes/<name>/_data} is the data, {@code volumes/<name>/volume.json} the metadata.
 *
 * <p>A volume appears and disappears by one rename of its whole directory (staged in {@code volumes/.tmp}),
 * so engines in other JVMs never see half a volume and two creating the same name agree on one. Which
 * containers reference a volume is read from their directories ({@link VolumeUse}), not kept here.
 */
public final class VolumeService implements VolumeManager {
    /** Docker's rule for volume names: at least two characters. */
    private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.-]+");
    private static final String DATA = "_data";
    private static final String RECORD = "volume.json";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path volumes;
    private final Path containers;
    private final Path tmp;

    /** @param root the engine root: volumes live in {@code root/volumes}, containers in {@code root/containers} */
    public VolumeService(Path root) {
        this.volumes = root.resolve("volumes");
        this.containers = root.resolve("containers");
        this.tmp = volumes.resolve(".tmp");
        try {
            AtomicFiles.ensureDirectory(tmp);
        } catch (IOException e) {
            throw new StorageException("cannot create " + volumes + ": " + e.getMessage(), e);
        }
    }

    // ---- VolumeManager ----------------------------------------------------------------------------

    @Override
    public VolumeInfo create(String name, Map<String, String> labels) {
        String n = name == null ? randomName() : name;
        if (!NAME.matcher(n).matches()) {
            throw new ContainerException("create " + n + ": \"" + n + "\" includes invalid characters for a local "
                    + "volume name, only \"[a-zA-Z0-9][a-zA-Z0-9_.-]\" are allowed");
        }
        Optional<VolumeRecord> existing = load(n);
        if (existing.isPresent()) {
            return existing.get().info();
        }
        Path staging = null;
        try {
            staging = Files.createTempDirectory(tmp, "new-");
            Files.setPosixFilePermissions(staging, PosixFilePermissions.fromString("rwx-----x"));
            Files.createDirectory(staging.resolve(DATA));
            Files.setPosixFilePermissions(staging.resolve(DATA), PosixFilePermissions.fromString("rwxr-xr-x"));
            VolumeRecord record = new VolumeRecord(n, "local", dir(n).resolve(DATA).toString(),
                    Instant.now().toString(), labels == null ? Map.of() : new LinkedHashMap<>(labels));
            AtomicFiles.write(staging.resolve(RECORD), OciJson.mapper().writeValueAsBytes(record), staging, ".record-");
            try {
                Files.move(staging, dir(n), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
                staging = null;
            } catch (IOException raced) {
                // another engine created it first: rename(2) does not replace a non-empty directory
            }
            return load(n).orElseThrow(() -> new StorageException("cannot create volume " + n)).info();
        } catch (IOException e) {
            throw new StorageException("cannot create volume " + n + ": " + e.getMessage(), e);
        } finally {
            if (staging != null) {
                deleteTree(staging);
            }
        }
    }

    @Override
    public List<VolumeInfo> list() {
        List<VolumeInfo> out = new ArrayList<>();
        for (String name : names()) {
            load(name).ifPresent(r -> out.add(r.info()));
        }
        out.sort(Comparator.comparing(VolumeInfo::name));
        return out;
    }

    @Override
    public VolumeInfo inspect(String name) {
        return load(name).orElseThrow(() -> new VolumeNotFoundException(name)).info();
    }

    @Override
    public void remove(String name, boolean force) {
        if (load(name).isEmpty()) {
            if (force) {
                return;
            }
            throw new VolumeNotFoundException(name);
        }
        if (!force) {
            List<String> users = users(name);
            if (!users.isEmpty()) {
                throw new VolumeInUseException("remove " + name + ": volume is in use - ["
                        + users.stream().collect(Collectors.joining(", ")) + "]");
            }
        }
        // renamed away first: the name is free at once and a half-deleted tree is never taken for a volume
        Path trash;
        try {
            trash = Files.createTempDirectory(tmp, "rm-");
            Files.move(dir(name), trash.resolve(name), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (NoSuchFileException gone) {
            return;
        } catch (IOException e) {
            throw new StorageException("cannot remove volume " + name + ": " + e.getMessage(), e);
        }
        deleteTree(trash);
    }

    @Override
    public List<String> prune() {
        Set<String> used = referencedVolumes();
        List<String> removed = new ArrayList<>();
        for (String name : names()) {
            if (!used.contains(name) && load(name).isPresent()) {
                try {
                    remove(name, false);
                    removed.add(name);
                } catch (VolumeInUseException raced) {
                    // a container started using it meanwhile
                }
            }
        }
        return removed;
    }

    // ---- for containers ---------------------------------------------------------------------------

    /**
     * Resolves a new container's mounts: every volume mount (the caller's, and an anonymous one for each of
     * the image's {@code VOLUME} paths no other mount covers) becomes a bind mount of the volume's data.
     * The references are recorded in {@code containerDir} before any volume is made, so a concurrent prune
     * never takes a volume from under the container; a new, empty volume is then filled from the image's
     * directory at its target ({@link CopyUp}).
     *
     * @param rootfs the container's mounted root file system, the image's content at the targets
     */
    public List<MountSpec> attach(Path containerDir, Path rootfs, List<MountSpec> requested,
                                  Collection<String> imageVolumes) {
        List<MountSpec> mounts = new ArrayList<>(requested);
        Set<String> targets = requested.stream().map(m -> normalize(m.target())).collect(Collectors.toSet());
        for (String path : imageVolumes) {
            if (targets.add(normalize(path))) {
                mounts.add(new MountSpec.Volume(null, path, false));
            }
        }
        List<MountSpec> resolved = new ArrayList<>();
        List<String> named = new ArrayList<>();
        List<String> anonymous = new ArrayList<>();
        for (MountSpec m : mounts) {
            if (m instanceof MountSpec.Volume v) {
                String name = v.name() == null ? randomName() : v.name();
                (v.name() == null ? anonymous : named).add(name);
                resolved.add(new MountSpec.Volume(name, v.target(), v.readOnly()));
            } else {
                resolved.add(m);
            }
        }
        List<String> all = new ArrayList<>(named);
        all.addAll(anonymous);
        if (!all.isEmpty()) { // no file reads as no volumes: spare the (synced) write on every plain container
            new VolumeUse(all, anonymous).write(containerDir);
        }

        List<MountSpec> binds = new ArrayList<>();
        for (MountSpec m : resolved) {
            if (m instanceof MountSpec.Volume v) {
                Map<String, String> labels = anonymous.contains(v.name())
                        ? Map.of(VolumeInfo.ANONYMOUS_LABEL, "true") : Map.of();
                Path data = create(v.name(), labels).mountpoint();
                CopyUp.intoEmpty(rootfs, v.target(), data);
                binds.add(new MountSpec.Bind(data.toString(), v.target(), v.readOnly()));
            } else {
                binds.add(m);
            }
        }
        return binds;
    }

    /** Removes the anonymous volumes the container in {@code containerDir} made, except those still in use. */
    public void removeAnonymous(VolumeUse use) {
        for (String name : use.anonymous()) {
            try {
                remove(name, false);
            } catch (VolumeInUseException | VolumeNotFoundException kept) {
                // as Docker: another container mounted it by name, or it is already gone
            }
        }
    }

    // ---- internals -------------------------------------------------------------------------------

    private Path dir(String name) {
        return volumes.resolve(name);
    }

    private Optional<VolumeRecord> load(String name) {
        if (!NAME.matcher(name).matches()) {
            return Optional.empty();
        }
        try {
            return Optional.of(OciJson.mapper().readValue(Files.readAllBytes(dir(name).resolve(RECORD)),
                    VolumeRecord.class));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new StorageException("cannot read volume " + name + ": " + e.getMessage(), e);
        }
    }

    private List<String> names() {
        List<String> out = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(volumes)) {
            for (Path p : entries) {
                String name = p.getFileName().toString();
                if (NAME.matcher(name).matches()) {
                    out.add(name);
                }
            }
        } catch (IOException e) {
            throw new StorageException("cannot list volumes: " + e.getMessage(), e);
        }
        return out;
    }

    /** IDs of the containers that reference the volume, running or not. */
    private List<String> users(String name) {
        List<String> out = new ArrayList<>();
        forEachContainer((id, use) -> {
            if (use.volumes().contains(name)) {
                out.add(id);
            }
        });
        return out;
    }

    private Set<String> referencedVolumes() {
        Set<String> out = new java.util.HashSet<>();
        forEachContainer((id, use) -> out.addAll(use.volumes()));
        return out;
    }

    private void forEachContainer(java.util.function.BiConsumer<String, VolumeUse> action) {
        if (!Files.isDirectory(containers)) {
            return;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(containers, "[0-9a-f]*")) {
            for (Path p : entries) {
                action.accept(p.getFileName().toString(), VolumeUse.read(p));
            }
        } catch (IOException e) {
            throw new StorageException("cannot list containers: " + e.getMessage(), e);
        }
    }

    private static String normalize(String path) {
        return Path.of("/").resolve(path).normalize().toString();
    }

    private static String randomName() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    private static void deleteTree(Path dir) {
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new StorageException("cannot delete " + dir + ": " + e.getMessage(), e);
        }
    }
}
