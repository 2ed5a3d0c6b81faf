package dev.jcontainers.testkit;

import java.nio.file.Path;

/** An image built by {@link TestImages}, stored in an OCI image layout under a tag. */
public sealed interface Fixture permits FixtureImage, FixtureIndex {

    /** The OCI image layout directory ({@code oci-layout}, {@code index.json}, {@code blobs/}). */
    Path layout();

    /** The {@code org.opencontainers.image.ref.name} of the image in the layout's index.json. */
    String tag();

    /** The top-level descriptor the tag points at: an image manifest or an image index. */
    BlobRef top();

    /** Digest of {@link #top()}, what a registry reports for the pushed tag (OCI format). */
    default String digest() {
        return top().digest();
    }

    /** Where a blob of this layout lives on disk. */
    default Path blobPath(String digest) {
        return layout().resolve("blobs").resolve(digest.substring(0, digest.indexOf(':')))
                .resolve(digest.substring(digest.indexOf(':') + 1));
    }
}
