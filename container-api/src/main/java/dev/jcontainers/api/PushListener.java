package dev.jcontainers.api;

import java.util.List;

/**
 * Progress of a push. Called from upload threads, possibly concurrently for different blobs;
 * implementations must be thread-safe and quick.
 */
public interface PushListener {
    /** What had to be done for one blob. */
    enum Outcome {
        /** Uploaded. */
        PUSHED,
        /** The target repository had it already. */
        ALREADY_EXISTS,
        /** The registry linked it from another of its repositories (named in {@code mountedFrom}). */
        MOUNTED
    }

    /** The push starts; {@code blobs} are config first, then the layers. */
    default void started(String target, String manifestDigest, List<LayerInfo> blobs) {
    }

    /** {@code done} of {@code total} bytes of a blob have been sent. */
    default void progress(String digest, long done, long total) {
    }

    /** A blob is present in the target repository; {@code mountedFrom} is set for {@link Outcome#MOUNTED}. */
    default void blobDone(String digest, long size, Outcome outcome, String mountedFrom) {
    }

    /** A transient failure (dropped connection, 5xx): the blob's upload starts over in a new session. */
    default void retrying(String digest, int attempt, Throwable cause) {
    }

    PushListener NONE = new PushListener() {
    };
}
