package dev.jcontainers.oci.image;

/** What a manifest endpoint can return: a single-platform manifest or an index of them. */
public sealed interface ManifestDocument permits ImageManifest, ImageIndex {
    String mediaType();
}
