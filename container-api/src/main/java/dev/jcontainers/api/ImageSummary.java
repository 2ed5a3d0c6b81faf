package dev.jcontainers.api;

import java.time.Instant;
import java.util.List;

/**
 * An image in the local store, as {@code docker images} lists it. {@code id} is the config digest (the
 * image ID), {@code manifestDigest} the digest of the platform manifest, {@code size} the sum of the
 * compressed layer sizes plus config.
 */
public record ImageSummary(String id, List<String> repoTags, List<String> repoDigests, String manifestDigest,
                           Instant created, long size, Platform platform) {
    public ImageSummary {
        repoTags = List.copyOf(repoTags);
        repoDigests = List.copyOf(repoDigests);
    }

    /** The first 12 hex digits of the ID, as Docker shows it. */
    public String shortId() {
        String hex = id.substring(id.indexOf(':') + 1);
        return hex.substring(0, Math.min(12, hex.length()));
    }
}
