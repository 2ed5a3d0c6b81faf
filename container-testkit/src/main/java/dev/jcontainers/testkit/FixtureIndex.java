package dev.jcontainers.testkit;

import java.nio.file.Path;
import java.util.List;

/**
 * A multi-platform fixture: an OCI image index whose manifests are in the same layout.
 *
 * @param index     the image index descriptor (what the tag points at)
 * @param manifests one image per platform, in index order
 */
public record FixtureIndex(Path layout, String tag, BlobRef index, List<FixtureImage> manifests) implements Fixture {

    public FixtureIndex {
        manifests = List.copyOf(manifests);
    }

    @Override
    public BlobRef top() {
        return index;
    }

    public String indexDigest() {
        return index.digest();
    }

    /** The image for an architecture such as {@code amd64} or {@code arm64}. */
    public FixtureImage platform(String architecture) {
        return manifests.stream().filter(m -> m.architecture().equals(architecture)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no " + architecture + " image in " + tag));
    }
}
