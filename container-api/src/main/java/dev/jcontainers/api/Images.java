package dev.jcontainers.api;

import java.io.OutputStream;
import java.nio.file.Path;
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

    /**
     * Pushes the local image {@code localReference} (name, ID or ID prefix) to {@code targetReference}, a
     * reference with a registry, by tag (or by digest when it names one). Blobs the repository has are
     * skipped; blobs another repository of the same registry has (as far as the local store knows) are
     * mounted rather than uploaded.
     */
    PushResult push(String localReference, String targetReference, PushOptions options);

    /** Pushes a local image under its own name. */
    default PushResult push(String reference) {
        return push(reference, reference, PushOptions.defaults());
    }

    /**
     * Writes the images to {@code out} as one tar archive that both {@code docker load} (its
     * {@code manifest.json}) and OCI tools ({@code oci-layout}, {@code index.json}) read. Layers are kept as
     * stored (usually gzip), so manifests and digests stay those of the registry.
     */
    void save(List<String> references, OutputStream out);

    /** As {@link #save(List, OutputStream)}, into a file (written completely or not at all). */
    void save(List<String> references, Path file);

    /**
     * Loads the images of a {@code docker save} tarball (current or legacy layout, optionally gzip-compressed),
     * an OCI image layout directory or an {@code oci-archive} tarball. Returns the names given to the loaded
     * images, or their IDs when the archive names none. A malformed archive is rejected with
     * {@link MalformedContentException} and leaves the store unchanged.
     */
    List<String> load(Path archive);

    /** A builder for a new image on top of a local image (by name, ID or ID prefix). */
    ImageBuilder buildFrom(String baseReference);

    /** A builder for a new image with no base layers. */
    ImageBuilder buildFromScratch();

    /**
     * Mounts the image's merged layers read-only (as {@code podman image mount} does) and returns the mount
     * point; mounting an image that is mounted already returns the same path. Needs root. A mounted image
     * cannot be removed without force.
     */
    java.nio.file.Path mount(String reference);

    /** Unmounts what {@link #mount} mounted and removes the mount point; nothing happens if it is not mounted. */
    void unmount(String reference);
}
