package dev.jcontainers.oci.layer;

import dev.jcontainers.oci.store.AtomicFiles;

import dev.jcontainers.api.MalformedContentException;
import dev.jcontainers.api.StorageException;
import dev.jcontainers.oci.image.Descriptor;
import dev.jcontainers.oci.image.Digest;
import dev.jcontainers.oci.image.ImageConfig;
import dev.jcontainers.oci.image.ImageManifest;
import dev.jcontainers.oci.store.OciStore;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Collectors;

/**
 * Unpacked layers under {@code layers/<chain-id-hex>/}, each unpacked exactly once and then shared read-only
 * by every container as an overlayfs lower directory. The chain ID names a layer together with everything
 * below it (OCI image spec: ChainID(L0) = DiffID(L0), ChainID(Ln) = sha256(ChainID(Ln-1) + " " + DiffID(Ln))),
 * so a directory is only reused where the whole stack below it is the same.
 *
 * <p>Unpacking the same layer from several threads or JVMs is serialised by a lock per chain ID; the
 * unpacker itself builds in a temp directory and renames, so a crash never leaves half a layer visible, and
 * {@link #open} sweeps the temp directories a crash left behind.
 */
public final class LayerStore {
    private static final String LOCKS = ".locks";
    private final Path dir;
    private final OciStore blobs;
    private final UnpackOptions options;
    private final ConcurrentHashMap<String, ReentrantLock> locks = new ConcurrentHashMap<>();

    private LayerStore(Path dir, OciStore blobs, UnpackOptions options) {
        this.dir = dir;
        this.blobs = blobs;
        this.options = options;
    }

    public static LayerStore open(Path layersDir, OciStore blobs, UnpackOptions options) {
        try {
            AtomicFiles.ensureDirectory(layersDir.resolve(LOCKS));
        } catch (IOException e) {
            throw new StorageException("cannot create " + layersDir + ": " + e.getMessage(), e);
        }
        LayerStore store = new LayerStore(layersDir, blobs, options);
        store.sweepTemps();
        return store;
    }

    public static List<Digest> chainIds(List<String> diffIds) {
        List<Digest> out = new ArrayList<>(diffIds.size());
        Digest chain = null;
        for (String diffId : diffIds) {
            Digest d = Digest.parse(diffId);
            if (chain == null) {
                chain = d;
            } else {
                MessageDigest sha = Digest.newSha256();
                sha.update((chain + " " + d).getBytes(StandardCharsets.UTF_8));
                chain = Digest.ofSha256(sha.digest());
            }
            out.add(chain);
        }
        return out;
    }

    public Path layerDir(Digest chainId) {
        return dir.resolve(chainId.hex());
    }

    public boolean has(Digest chainId) {
        return Files.isDirectory(layerDir(chainId), LinkOption.NOFOLLOW_LINKS);
    }

    /**
     * Makes sure every layer of the image is unpacked; returns their directories bottom layer first.
     * Layers are unpacked from the stored blobs, each checked against its diff ID.
     */
    public List<Path> ensureUnpacked(ImageManifest manifest, ImageConfig config) {
        List<String> diffIds = config.rootfs().diffIds();
        List<Descriptor> layers = manifest.layers();
        if (diffIds.size() != layers.size()) {
            throw new MalformedContentException("image has " + layers.size()
                    + " layers but " + diffIds.size() + " diff_ids");
        }
        List<Digest> chains = chainIds(diffIds);
        List<Path> dirs = new ArrayList<>(chains.size());
        for (int i = 0; i < chains.size(); i++) {
            dirs.add(ensureUnpacked(chains.get(i), layers.get(i), Digest.parse(diffIds.get(i))));
        }
        return dirs;
    }

    private Path ensureUnpacked(Digest chainId, Descriptor layer, Digest diffId) {
        Path target = layerDir(chainId);
        if (has(chainId)) {
            return target;
        }
        ReentrantLock lock = locks.computeIfAbsent(chainId.hex(), k -> new ReentrantLock());
        lock.lock();
        try (FileChannel ch = FileChannel.open(dir.resolve(LOCKS).resolve(chainId.hex() + ".lock"),
                StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock ignored = ch.lock()) {
            if (has(chainId)) {
                return target;
            }
            try (InputStream blob = blobs.open(layer.parsedDigest())) {
                new LayerUnpacker(options).unpack(blob, layer.mediaType(), diffId, target);
            }
            return target;
        } catch (IOException e) {
            throw new StorageException("cannot unpack layer " + layer.digest() + ": " + e.getMessage(), e);
        } finally {
            lock.unlock();
        }
    }

    /** Removes unpacked layers whose chain ID is not in {@code keep}; returns the removed chain IDs' hex. */
    public List<String> retainOnly(Set<Digest> keep) {
        Set<String> keepHex = keep.stream().map(Digest::hex).collect(Collectors.toSet());
        List<String> removed = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path p : entries) {
                String name = p.getFileName().toString();
                if (name.startsWith(".") || keepHex.contains(name) || !name.matches("[a-f0-9]{64}")) {
                    continue;
                }
                LayerUnpacker.deleteTree(p);
                removed.add(name);
            }
        } catch (IOException e) {
            throw new StorageException("cannot list " + dir + ": " + e.getMessage(), e);
        }
        return removed;
    }

    private void sweepTemps() {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, ".*.unpacking-*")) {
            for (Path p : entries) {
                LayerUnpacker.deleteTree(p);
            }
        } catch (IOException e) {
            throw new StorageException("cannot clean " + dir + ": " + e.getMessage(), e);
        }
    }
}
