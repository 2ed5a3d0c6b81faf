package dev.jcontainers.testkit;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A single-platform fixture image.
 *
 * @param layout       the OCI layout directory
 * @param tag          its ref name in the layout
 * @param manifest     the image manifest descriptor
 * @param config       the config descriptor
 * @param layers       the layer descriptors (gzip), base first
 * @param diffIds      sha256 of each uncompressed layer tar, as in the config's {@code rootfs.diff_ids}
 * @param os           config {@code os}
 * @param architecture config {@code architecture}
 * @param files        regular files the image holds after all layers are applied, path (no leading
 *                     slash) to content, excluding {@code bin/busybox} and the random blobs of
 *                     {@link TestImages#large}; for checking an unpacked rootfs
 */
public record FixtureImage(Path layout, String tag, BlobRef manifest, BlobRef config, List<BlobRef> layers,
        List<String> diffIds, String os, String architecture, Map<String, String> files) implements Fixture {

    public FixtureImage {
        layers = List.copyOf(layers);
        diffIds = List.copyOf(diffIds);
        files = Map.copyOf(files);
    }

    @Override
    public BlobRef top() {
        return manifest;
    }

    public String manifestDigest() {
        return manifest.digest();
    }

    public String configDigest() {
        return config.digest();
    }

    public List<String> layerDigests() {
        return layers.stream().map(BlobRef::digest).toList();
    }

    /** Sum of the compressed layer sizes. */
    public long compressedSize() {
        return layers.stream().mapToLong(BlobRef::size).sum();
    }
}
