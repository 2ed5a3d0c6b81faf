package dev.jcontainers.api;

import java.util.List;

/**
 * Progress of a pull. Called from download threads, possibly concurrently for different layers;
 * implementations must be thread-safe and quick.
 */
public interface PullListener {
    /** The reference resolved to a manifest; {@code layers} are the blobs to fetch, config first. */
    default void resolved(String reference, String manifestDigest, List<LayerInfo> layers) {
    }

    /** {@code done} of {@code total} bytes of a blob are on disk. */
    default void progress(String digest, long done, long total) {
    }

    /** A blob is verified and stored; {@code alreadyPresent} when nothing had to be downloaded. */
    default void blobDone(String digest, long size, boolean alreadyPresent) {
    }

    /** A transient failure that will be retried (dropped connection, 5xx). */
    default void retrying(String digest, int attempt, Throwable cause) {
    }

    PullListener NONE = new PullListener() {
    };
}
