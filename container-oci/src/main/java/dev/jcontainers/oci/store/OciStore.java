package dev.jcontainers.oci.store;

import dev.jcontainers.oci.image.Descriptor;
import dev.jcontainers.oci.image.Digest;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

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
 */
public final class OciStore implements AutoCloseable {
    /** Opens (creating if needed) a store rooted at {@code root}. */
    public static OciStore open(Path root) {
        throw new UnsupportedOperationException("store helper");
    }

    public Path root() {
        throw new UnsupportedOperationException();
    }

    public boolean has(Digest digest) {
        throw new UnsupportedOperationException();
    }

    /** Size on disk of a stored blob. */
    public Optional<Long> size(Digest digest) {
        throw new UnsupportedOperationException();
    }

    /** Where a stored blob lives; callers must treat it as read-only. */
    public Path blobPath(Digest digest) {
        throw new UnsupportedOperationException();
    }

    /** Opens a stored blob; {@link dev.jcontainers.api.StorageException} when absent. */
    public InputStream open(Digest digest) {
        throw new UnsupportedOperationException();
    }

    /** Reads a whole (small) stored blob and re-verifies its digest. */
    public byte[] read(Digest digest) {
        throw new UnsupportedOperationException();
    }

    /** Stores bytes under their sha256 digest; if {@code expected} is not null the bytes must hash to it. */
    public Digest put(byte[] content, Digest expected) {
        throw new UnsupportedOperationException();
    }

    /** A writer for a blob arriving as a stream; see {@link BlobWriter}. */
    public BlobWriter newBlobWriter(Digest expected, long expectedSize) {
        throw new UnsupportedOperationException();
    }

    /** All entries of index.json, in file order. */
    public List<Descriptor> entries() {
        throw new UnsupportedOperationException();
    }

    /** The manifest descriptor named {@code name} (ref.name annotation). */
    public Optional<Descriptor> resolve(String name) {
        throw new UnsupportedOperationException();
    }

    /**
     * Points {@code name} at {@code manifest} (the descriptor gets the ref.name annotation). An image the
     * name pointed to before stays in the index as dangling if nothing else names it.
     */
    public void tag(String name, Descriptor manifest) {
        throw new UnsupportedOperationException();
    }

    /** Removes the name; the image becomes dangling if no other name points to it. Returns false if absent. */
    public boolean untag(String name) {
        throw new UnsupportedOperationException();
    }

    /** Removes every index.json entry (named or dangling) whose digest is {@code manifest}. */
    public void removeImage(Digest manifest) {
        throw new UnsupportedOperationException();
    }

    /** Removes dangling entries (no ref.name) from index.json; returns their digests. */
    public List<Digest> removeDangling() {
        throw new UnsupportedOperationException();
    }

    /** Keeps blobs safe from {@link #gc()} while open, e.g. for the duration of a pull. */
    public Lease lease() {
        throw new UnsupportedOperationException();
    }

    /** Deletes every blob not reachable from index.json (through nested indexes, manifests, configs, layers). */
    public GcResult gc() {
        throw new UnsupportedOperationException();
    }

    /**
     * Deletes those of {@code candidates} that nothing in index.json reaches: how a failed pull removes
     * exactly the blobs it wrote, without touching anything another image needs. Waits for open leases.
     */
    public GcResult collect(java.util.Collection<Digest> candidates) {
        throw new UnsupportedOperationException();
    }

    /** Re-hashes every blob; reports corrupt and missing-but-referenced ones. */
    public VerifyResult verify() {
        throw new UnsupportedOperationException();
    }

    @Override
    public void close() {
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
