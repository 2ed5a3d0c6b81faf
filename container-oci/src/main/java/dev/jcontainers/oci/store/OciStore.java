package dev.jcontainers.oci.store;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.jcontainers.api.DigestMismatchException;
import dev.jcontainers.api.MalformedContentException;
import dev.jcontainers.api.StorageException;
import dev.jcontainers.api.UnsupportedMediaTypeException;
import dev.jcontainers.oci.image.Descriptor;
import dev.jcontainers.oci.image.Digest;
import dev.jcontainers.oci.image.ImageIndex;
import dev.jcontainers.oci.image.MediaTypes;
import dev.jcontainers.oci.image.OciJson;
import dev.jcontainers.oci.json.Json;
import dev.jcontainers.oci.json.JsonReader;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.UnaryOperator;

/**
 * The content-addressed store. On disk it is an OCI image layout ({@code oci-layout}, {@code index.json},
 * {@code blobs/<alg>/<hex>}) so that skopeo and umoci read it directly.
 *
 * <p>Invariants: a blob file exists only after its bytes were verified against its digest; every write
 * is temp-file, fsync, rename; index.json changes are serialised across threads and JVMs by a file lock;
 * garbage collection never removes a blob while a {@link Lease} is open.
 *
 * <p>Names in index.json are full normalised references ({@code 127.0.0.1:5000/busybox:1.36}) in the
 * {@code org.opencontainers.image.ref.name} annotation. An entry without that annotation is a dangling
 * image that still protects its blobs from GC until pruned.
 *
 * <p>Besides the layout the store keeps {@code tmp/} (temp files, same filesystem as the blobs so that
 * publishing is a rename) and {@code locks/} (lock files for index.json and for GC versus leases).
 * Readers need no lock: every file they read is replaced atomically. Thread-safe; any number of
 * instances, in any number of processes, may share one root.
 */
public final class OciStore implements AutoCloseable {
    static final String BLOB_TMP_PREFIX = "blob-";
    private static final String INDEX_TMP_PREFIX = "index-";
    private static final String LAYOUT_TMP_PREFIX = "oci-layout-";
    private static final String LAYOUT_VERSION = "1.0.0";
    private static final byte[] LAYOUT_CONTENT = ("{\"imageLayoutVersion\":\"" + LAYOUT_VERSION + "\"}")
            .getBytes(StandardCharsets.UTF_8);
    /** A temp file untouched this long belongs to a crashed or abandoned writer. */
    static final Duration STALE_TEMP_AGE = Duration.ofHours(1);

    private final Path root;
    private final Path blobsDir;
    private final Path tmpDir;
    private final Path indexFile;
    private final StoreLocks locks;

    private OciStore(Path root, StoreLocks locks) {
        this.root = root;
        this.blobsDir = root.resolve("blobs");
        this.tmpDir = root.resolve("tmp");
        this.indexFile = root.resolve("index.json");
        this.locks = locks;
    }

    /** Opens (creating if needed) a store rooted at {@code root}. */
    public static OciStore open(Path root) {
        Objects.requireNonNull(root, "root");
        Path realRoot;
        try {
            AtomicFiles.ensureDirectory(root);
            realRoot = root.toRealPath();
            AtomicFiles.ensureDirectory(realRoot.resolve("blobs").resolve("sha256"));
            AtomicFiles.ensureDirectory(realRoot.resolve("tmp"));
            AtomicFiles.ensureDirectory(realRoot.resolve("locks"));
        } catch (IOException e) {
            throw AtomicFiles.failure("cannot create store directories under " + root, e);
        }
        OciStore store = new OciStore(realRoot, StoreLocks.forRoot(realRoot, realRoot.resolve("locks")));
        store.initLayout();
        return store;
    }

    /** Writes oci-layout and an empty index.json when missing; rejects a layout of another version. */
    private void initLayout() {
        Path layoutFile = root.resolve("oci-layout");
        locks.withIndexLock(() -> {
            if (Files.exists(layoutFile)) {
                checkLayoutVersion(layoutFile);
            } else {
                AtomicFiles.write(layoutFile, LAYOUT_CONTENT, tmpDir, LAYOUT_TMP_PREFIX);
            }
            if (!Files.exists(indexFile)) {
                writeIndex(new ImageIndex(2, MediaTypes.OCI_INDEX, List.of(), null));
            }
            return null;
        });
    }

    private static void checkLayoutVersion(Path layoutFile) {
        String version;
        try {
            version = Json.read(Files.readAllBytes(layoutFile), OciStore::readLayoutVersion);
        } catch (IOException e) {
            throw new MalformedContentException(layoutFile + " is not an OCI layout file: " + e.getMessage(), e);
        }
        if (!LAYOUT_VERSION.equals(version)) {
            throw new MalformedContentException(layoutFile + ": unsupported imageLayoutVersion \"" + version
                    + "\", expected " + LAYOUT_VERSION);
        }
    }

    /** The top-level imageLayoutVersion as text; empty when absent, not text, or the document no object. */
    private static String readLayoutVersion(JsonParser p) throws IOException {
        String version = "";
        if (p.currentToken() == JsonToken.START_OBJECT) {
            while (JsonReader.nextField(p)) {
                if (p.currentName().equals("imageLayoutVersion") && p.currentToken().isScalarValue()) {
                    version = p.getText();
                }
                p.skipChildren();
            }
        }
        return version;
    }

    public Path root() {
        return root;
    }

    // ---- blobs ----

    public boolean has(Digest digest) {
        return Files.isRegularFile(blobPath(digest));
    }

    /** Size on disk of a stored blob. */
    public Optional<Long> size(Digest digest) {
        try {
            return Optional.of(Files.size(blobPath(digest)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw AtomicFiles.failure("cannot stat " + blobPath(digest), e);
        }
    }

    /** Where a stored blob lives; callers must treat it as read-only. */
    public Path blobPath(Digest digest) {
        return blobsDir.resolve(digest.algorithm()).resolve(digest.encoded());
    }

    /** Opens a stored blob; {@link StorageException} when absent. */
    public InputStream open(Digest digest) {
        Path path = blobPath(digest);
        try {
            return Files.newInputStream(path);
        } catch (NoSuchFileException e) {
            throw new StorageException("blob " + digest + " is not in the store (" + path + ")", e);
        } catch (IOException e) {
            throw AtomicFiles.failure("cannot open " + path, e);
        }
    }

    /** Reads a whole (small) stored blob and re-verifies its digest. */
    public byte[] read(Digest digest) {
        Path path = blobPath(digest);
        byte[] content;
        try {
            content = Files.readAllBytes(path);
        } catch (NoSuchFileException e) {
            throw new StorageException("blob " + digest + " is not in the store (" + path + ")", e);
        } catch (IOException e) {
            throw AtomicFiles.failure("cannot read " + path, e);
        }
        String actual = HexFormat.of().formatHex(digest.newHasher().digest(content));
        if (!actual.equals(digest.encoded())) {
            throw new DigestMismatchException("stored blob " + path, digest.toString(),
                    digest.algorithm() + ":" + actual);
        }
        return content;
    }

    /** Stores bytes under their sha256 digest; if {@code expected} is not null the bytes must hash to it. */
    public Digest put(byte[] content, Digest expected) {
        Objects.requireNonNull(content, "content");
        Digest actual = expected == null ? Digest.sha256(content)
                : new Digest(expected.algorithm(), HexFormat.of().formatHex(expected.newHasher().digest(content)));
        if (expected != null && !expected.equals(actual)) {
            throw new DigestMismatchException("blob of " + content.length + " bytes", expected.toString(),
                    actual.toString());
        }
        if (has(actual)) {
            return actual;
        }
        try (BlobWriter writer = newBlobWriter(actual, content.length)) {
            writer.write(ByteBuffer.wrap(content));
            return writer.commit();
        } catch (IOException e) {
            throw AtomicFiles.failure("cannot store blob " + actual, e);
        }
    }

    /**
     * A writer for a blob arriving as a stream; see {@link BlobWriter}. {@code expected} may be null (the
     * blob is then named by its sha256) and {@code expectedSize} negative when unknown, e.g. for a layer
     * being packed.
     */
    public BlobWriter newBlobWriter(Digest expected, long expectedSize) {
        return new FileBlobWriter(this, expected, expectedSize, tmpDir);
    }

    /** Publishes a verified, synced temp file under {@code digest}; an existing copy wins (dedupe). */
    void publish(Path verifiedTmp, Digest digest) throws IOException {
        Path target = blobPath(digest);
        if (Files.exists(target)) {
            Files.deleteIfExists(verifiedTmp);
            return;
        }
        Files.createDirectories(target.getParent());
        // Two writers of the same blob may both get here; rename replaces atomically and both hold the
        // same verified bytes, so whichever lands last is as good as the first.
        AtomicFiles.moveIntoPlace(verifiedTmp, target);
    }

    // ---- index.json ----

    /** All entries of index.json, in file order. */
    public List<Descriptor> entries() {
        return readIndex().manifests();
    }

    /** The manifest descriptor named {@code name} (ref.name annotation). */
    public Optional<Descriptor> resolve(String name) {
        requireName(name);
        return Optional.ofNullable(IndexEntries.find(entries(), name));
    }

    /** The names pointing at {@code manifest}, in index order. */
    public List<String> namesOf(Digest manifest) {
        String digest = manifest.toString();
        return entries().stream()
                .filter(d -> d.digest().equals(digest) && !IndexEntries.isDangling(d))
                .map(IndexEntries::name)
                .toList();
    }

    /**
     * Points {@code name} at {@code manifest} (the descriptor gets the ref.name annotation). An image the
     * name pointed to before stays in the index as dangling if nothing else names it. The manifest blob
     * must already be stored, with the descriptor's size.
     */
    public void tag(String name, Descriptor manifest) {
        requireName(name);
        Objects.requireNonNull(manifest, "manifest");
        Digest digest = manifest.parsedDigest();
        Optional<Long> stored = size(digest);
        if (stored.isEmpty()) {
            throw new StorageException("cannot tag " + name + ": manifest " + digest + " is not in the store");
        }
        if (stored.get() != manifest.size()) {
            throw new MalformedContentException("cannot tag " + name + ": descriptor of " + digest + " says "
                    + manifest.size() + " bytes, the stored blob has " + stored.get());
        }
        updateIndex(entries -> IndexEntries.tag(entries, name, manifest));
    }

    /** Removes the name; the image becomes dangling if no other name points to it. Returns false if absent. */
    public boolean untag(String name) {
        requireName(name);
        AtomicBoolean found = new AtomicBoolean();
        updateIndex(entries -> {
            found.set(IndexEntries.find(entries, name) != null);
            return IndexEntries.untag(entries, name);
        });
        return found.get();
    }

    /** Removes every index.json entry (named or dangling) whose digest is {@code manifest}. */
    public void removeImage(Digest manifest) {
        Objects.requireNonNull(manifest, "manifest");
        updateIndex(entries -> IndexEntries.removeDigest(entries, manifest));
    }

    /** Removes dangling entries (no ref.name) from index.json; returns their digests. */
    public List<Digest> removeDangling() {
        List<Digest> removed = new ArrayList<>();
        updateIndex(entries -> {
            List<Descriptor> kept = new ArrayList<>();
            for (Descriptor d : entries) {
                if (IndexEntries.isDangling(d)) {
                    removed.add(d.parsedDigest());
                } else {
                    kept.add(d);
                }
            }
            return kept;
        });
        return List.copyOf(removed);
    }

    private static void requireName(String name) {
        Objects.requireNonNull(name, "name");
        if (name.isBlank() || !name.strip().equals(name)) {
            throw new IllegalArgumentException("image name must be a non-blank reference: \"" + name + "\"");
        }
    }

    /** Read-modify-write of index.json under the index lock, so no concurrent update is lost. */
    private void updateIndex(UnaryOperator<List<Descriptor>> change) {
        locks.withIndexLock(() -> {
            ImageIndex current = readIndex();
            List<Descriptor> updated = change.apply(current.manifests());
            if (!updated.equals(current.manifests())) {
                writeIndex(new ImageIndex(2, MediaTypes.OCI_INDEX, updated, current.annotations()));
            }
            return null;
        });
    }

    private ImageIndex readIndex() {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(indexFile);
        } catch (IOException e) {
            throw AtomicFiles.failure("cannot read " + indexFile, e);
        }
        try {
            return OciJson.parseIndex(bytes);
        } catch (MalformedContentException | UnsupportedMediaTypeException e) {
            throw new MalformedContentException(indexFile + " is not an OCI image index: " + e.getMessage(), e);
        }
    }

    private void writeIndex(ImageIndex index) {
        AtomicFiles.write(indexFile, OciJson.writeIndex(index), tmpDir, INDEX_TMP_PREFIX);
    }

    // ---- leases, gc, verify ----

    /** Keeps blobs safe from {@link #gc()} while open, e.g. for the duration of a pull. */
    public Lease lease() {
        locks.acquireLease();
        AtomicBoolean open = new AtomicBoolean(true);
        return () -> {
            if (open.compareAndSet(true, false)) {
                locks.releaseLease();
            }
        };
    }

    /**
     * Deletes every blob not reachable from index.json (through nested indexes, manifests, configs, layers)
     * and temp files older than {@link #STALE_TEMP_AGE}. Waits until no lease is open in any process
     * sharing the root; index.json stays locked meanwhile so that no tag races with the sweep. A
     * referenced-but-missing blob is tolerated; a referenced manifest that cannot be parsed aborts the GC
     * with {@link MalformedContentException}, since the blobs it needs are then unknown.
     */
    public GcResult gc() {
        return locks.exclusiveForGc(() -> locks.withIndexLock(() -> {
            GcResult swept = sweep(storedBlobs());
            return new GcResult(swept.removed(), swept.reclaimedBytes() + removeStaleTemps());
        }));
    }

    /**
     * Deletes those of {@code candidates} that nothing in index.json reaches: how a failed pull or a
     * removed image takes back exactly its own blobs without a full GC. Waits for open leases, like
     * {@link #gc()}, so a blob another pull is about to reference is never lost.
     */
    public GcResult collect(java.util.Collection<Digest> candidates) {
        if (candidates.isEmpty()) {
            return new GcResult(List.of(), 0);
        }
        return locks.exclusiveForGc(() -> locks.withIndexLock(() -> sweep(List.copyOf(candidates))));
    }

    private GcResult sweep(List<Digest> candidates) {
        Reachability reachable = Reachability.walk(entries(), this::blobPath, Reachability.OnUnreadable.FAIL);
        List<Digest> removed = new ArrayList<>();
        long reclaimed = 0;
        for (Digest digest : candidates) {
            if (reachable.present.contains(digest)) {
                continue;
            }
            Path path = blobPath(digest);
            try {
                long size = Files.size(path);
                Files.delete(path);
                removed.add(digest);
                reclaimed += size;
            } catch (NoSuchFileException e) {
                // already gone
            } catch (IOException e) {
                throw AtomicFiles.failure("cannot delete " + path, e);
            }
        }
        return new GcResult(List.copyOf(removed), reclaimed);
    }

    private long removeStaleTemps() {
        FileTime cutoff = FileTime.from(Instant.now().minus(STALE_TEMP_AGE));
        long reclaimed = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(tmpDir)) {
            for (Path file : files) {
                String fileName = file.getFileName().toString();
                boolean ours = fileName.startsWith(BLOB_TMP_PREFIX) || fileName.startsWith(INDEX_TMP_PREFIX)
                        || fileName.startsWith(LAYOUT_TMP_PREFIX);
                try {
                    if (ours && Files.getLastModifiedTime(file).compareTo(cutoff) < 0) {
                        long size = Files.size(file);
                        Files.delete(file);
                        reclaimed += size;
                    }
                } catch (NoSuchFileException e) {
                    // its writer finished meanwhile
                }
            }
        } catch (IOException e) {
            throw AtomicFiles.failure("cannot clean " + tmpDir, e);
        }
        return reclaimed;
    }

    /** Re-hashes every blob; reports corrupt and missing-but-referenced ones. */
    public VerifyResult verify() {
        List<Digest> corrupt = new ArrayList<>();
        int checked = 0;
        for (Digest digest : storedBlobs()) {
            Path path = blobPath(digest);
            try {
                if (!hashFile(path, digest.newHasher()).equals(digest.encoded())) {
                    corrupt.add(digest);
                }
                checked++;
            } catch (NoSuchFileException e) {
                // removed by a concurrent gc
            } catch (IOException e) {
                throw AtomicFiles.failure("cannot read " + path, e);
            }
        }
        Reachability reachable = Reachability.walk(entries(), this::blobPath, Reachability.OnUnreadable.SKIP);
        return new VerifyResult(checked, List.copyOf(corrupt), List.copyOf(reachable.missing));
    }

    private static String hashFile(Path path, MessageDigest hasher) throws IOException {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            ByteBuffer buf = ByteBuffer.allocateDirect(1 << 16);
            while (ch.read(buf) >= 0) {
                buf.flip();
                hasher.update(buf);
                buf.clear();
            }
        }
        return HexFormat.of().formatHex(hasher.digest());
    }

    /** Every file under blobs/ whose path is a well-formed digest; anything else there is not ours to judge. */
    private List<Digest> storedBlobs() {
        List<Digest> digests = new ArrayList<>();
        try (DirectoryStream<Path> algorithms = Files.newDirectoryStream(blobsDir, Files::isDirectory)) {
            for (Path algDir : algorithms) {
                try (DirectoryStream<Path> blobs = Files.newDirectoryStream(algDir, Files::isRegularFile)) {
                    for (Path blob : blobs) {
                        parseBlobName(algDir.getFileName().toString(), blob.getFileName().toString())
                                .ifPresent(digests::add);
                    }
                }
            }
        } catch (IOException e) {
            throw AtomicFiles.failure("cannot list " + blobsDir, e);
        }
        digests.sort(null);
        return digests;
    }

    private static Optional<Digest> parseBlobName(String algorithm, String encoded) {
        try {
            return Optional.of(new Digest(algorithm, encoded));
        } catch (MalformedContentException e) {
            return Optional.empty();
        }
    }

    /** Nothing to release: locks are held only for the duration of a call, leases until closed. */
    @Override
    public void close() {
    }

    @Override
    public String toString() {
        return "OciStore[" + root + "]";
    }

    public interface Lease extends AutoCloseable {
        @Override
        void close();
    }

    public record GcResult(List<Digest> removed, long reclaimedBytes) {
    }

    public record VerifyResult(int checked, List<Digest> corrupt, List<Digest> missing) {
        public boolean ok() {
            return corrupt.isEmpty() && missing.isEmpty();
        }
    }
}
