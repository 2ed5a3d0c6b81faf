package dev.jcontainers.api;

import java.util.List;

/** What a prune removed: image IDs, blob digests and the bytes given back to the disk. */
public record PruneResult(List<String> removedImages, List<String> removedBlobs, long reclaimedBytes) {
    public PruneResult {
        removedImages = List.copyOf(removedImages);
        removedBlobs = List.copyOf(removedBlobs);
    }
}
