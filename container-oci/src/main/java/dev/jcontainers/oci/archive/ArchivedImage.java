package dev.jcontainers.oci.archive;

import dev.jcontainers.oci.image.Descriptor;

import java.util.List;

/**
 * One image in an archive: its manifest descriptor (media type, digest, size, platform) and its names as
 * full references ({@code registry/repository:tag}); empty for an unnamed image.
 */
public record ArchivedImage(Descriptor manifest, List<String> names) {
    public ArchivedImage {
        names = List.copyOf(names);
    }
}
