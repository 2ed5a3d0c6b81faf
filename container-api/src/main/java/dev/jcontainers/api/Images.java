package dev.jcontainers.api;

import java.util.List;

/**
 * The image service: pull from registries into the local content-addressed store, and manage what is
 * there. References are Docker's ({@code busybox}, {@code host:5000/team/app:1.2}, {@code app@sha256:...});
 * local images can also be named by ID or ID prefix.
 */
public interface Images {
    ImageSummary pull(String reference, PullOptions options);

    default ImageSummary pull(String reference) {
        return pull(reference, PullOptions.defaults());
    }

    List<ImageSummary> list();

    ImageDetails inspect(String reference);

    /** Newest first, like {@code docker image history}. */
    List<HistoryEntry> history(String reference);

    void tag(String source, String target);

    /**
     * Removes a tag, or by ID the whole image. Refuses (with {@link ImageInUseException}) to remove an image
     * that is still referenced elsewhere (several tags when named by ID) unless {@code force}.
     * Returns the lines Docker prints: {@code Untagged: ...} and {@code Deleted: ...}.
     */
    List<String> remove(String reference, boolean force);

    /** Removes untagged (dangling) images and every blob no image references. */
    PruneResult prune();
}
