package dev.jcontainers.oci.store;

import dev.jcontainers.api.DigestMismatchException;
import dev.jcontainers.api.StorageException;
import dev.jcontainers.oci.image.Digest;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * A {@link BlobWriter} over a temp file in the store's tmp directory. The hash is updated with the same
 * buffers that are written, so commit needs no second read of the file. Not thread-safe: one download,
 * one thread at a time.
 */
final class FileBlobWriter implements BlobWriter {
    private enum State { OPEN, BROKEN, COMMITTED, CLOSED }

    private final OciStore store;
    private final Digest expected;
    private final long expectedSize;
    private final Path tmp;
    private final FileChannel channel;
    private MessageDigest hasher;
    private long written;
    private State state = State.OPEN;

    FileBlobWriter(OciStore store, Digest expected, long expectedSize, Path tmpDir) {
        this.store = store;
        this.expected = expected;
        this.expectedSize = expectedSize;
        this.hasher = newHasher();
        try {
            this.tmp = Files.createTempFile(tmpDir, OciStore.BLOB_TMP_PREFIX, ".partial");
        } catch (IOException e) {
            throw AtomicFiles.failure("cannot create a temp file in " + tmpDir, e);
        }
        try {
            this.channel = FileChannel.open(tmp, StandardOpenOption.WRITE);
        } catch (IOException e) {
            AtomicFiles.deleteQuietly(tmp);
            throw AtomicFiles.failure("cannot open " + tmp, e);
        }
    }

    /**
     * Appends {@code bytes} (consuming them). Disk failures surface as {@link StorageException} so that a
     * caller can tell them from a network failure; the writer then stays at {@link #written()} as before.
     */
    @Override
    public void write(ByteBuffer bytes) {
        requireState(State.OPEN);
        ByteBuffer forHash = bytes.duplicate();
        int length = bytes.remaining();
        try {
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
        } catch (IOException e) {
            rollBack();
            throw AtomicFiles.failure("cannot write " + tmp, e);
        }
        hasher.update(forHash);
        written += length;
    }

    /** Truncates a partial write away so that file, hash and {@link #written()} agree again. */
    private void rollBack() {
        try {
            channel.truncate(written);
            channel.position(written);
        } catch (IOException e) {
            state = State.BROKEN; // only reset() or close() can recover
        }
    }

    @Override
    public long written() {
        return written;
    }

    @Override
    public void reset() {
        if (state != State.OPEN && state != State.BROKEN) {
            throw new IllegalStateException("blob writer is " + state.name().toLowerCase());
        }
        try {
            channel.truncate(0);
            channel.position(0);
        } catch (IOException e) {
            throw AtomicFiles.failure("cannot truncate " + tmp, e);
        }
        hasher = newHasher();
        written = 0;
        state = State.OPEN;
    }

    @Override
    public Digest commit() {
        requireState(State.OPEN);
        Digest actual = new Digest(expected == null ? "sha256" : expected.algorithm(),
                HexFormat.of().formatHex(hasher.digest()));
        boolean sizeOk = expectedSize < 0 || written == expectedSize;
        if (!sizeOk || (expected != null && !expected.equals(actual))) {
            close();
            String what = "blob of " + written + " bytes" + (sizeOk ? "" : " (expected " + expectedSize + ")");
            throw new DigestMismatchException(what, String.valueOf(expected == null ? "-" : expected),
                    actual.toString());
        }
        try {
            channel.force(true);
            channel.close();
            store.publish(tmp, actual);
        } catch (IOException e) {
            close();
            throw AtomicFiles.failure("cannot store blob " + actual, e);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        state = State.COMMITTED;
        return actual;
    }

    @Override
    public void close() {
        if (state == State.COMMITTED || state == State.CLOSED) {
            return;
        }
        state = State.CLOSED;
        try {
            channel.close();
        } catch (IOException e) {
            // the file is deleted next; nothing in it matters
        }
        AtomicFiles.deleteQuietly(tmp);
    }

    private MessageDigest newHasher() {
        return expected == null ? Digest.newSha256() : expected.newHasher();
    }

    private void requireState(State wanted) {
        if (state != wanted) {
            throw new IllegalStateException("blob writer is " + state.name().toLowerCase());
        }
    }

    @Override
    public String toString() {
        return "BlobWriter[" + (expected == null ? "sha256:?" : expected) + ", " + written + " bytes, " + tmp + "]";
    }
}
