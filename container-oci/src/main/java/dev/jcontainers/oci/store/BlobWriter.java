package dev.jcontainers.oci.store;

import dev.jcontainers.oci.image.Digest;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Streams one blob into the store. Bytes go to a private temp file and into a running hash; nothing is
 * visible under the digest until {@link #commit()} verified size and digest. After a dropped connection
 * the caller resumes from {@link #written()} (an HTTP Range request) and keeps writing; {@link #reset()}
 * starts over when the server ignores the Range.
 *
 * <p>Failures of the store's disk surface as {@link dev.jcontainers.api.StorageException} (with the path and
 * the OS reason, e.g. "No space left on device"), never as a plain {@link IOException}, so that a caller can
 * tell them from a network failure worth retrying. One writer serves one download on one thread at a time.
 */
public interface BlobWriter extends AutoCloseable {
    void write(ByteBuffer bytes) throws IOException;

    /** Bytes accepted so far. */
    long written();

    /** Discards what was written, to restart from byte 0. */
    void reset() throws IOException;

    /**
     * Verifies and publishes the blob. Throws {@link dev.jcontainers.api.DigestMismatchException} (and
     * deletes the temp file) when the bytes do not match.
     */
    Digest commit() throws IOException;

    /** Deletes the temp file unless committed. Idempotent. */
    @Override
    void close();
}
