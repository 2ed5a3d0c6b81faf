package dev.jcontainers.oci.layer;

import dev.jcontainers.oci.image.Digest;

/**
 * A packed layer, described as an image config and manifest need it.
 *
 * @param diffId         sha256 of the uncompressed tar (the config's {@code rootfs.diff_ids} entry)
 * @param size           bytes of the uncompressed tar
 * @param digest         sha256 of the bytes written (the manifest's layer descriptor digest)
 * @param compressedSize bytes written (the descriptor's size)
 * @param mediaType      the OCI layer media type of what was written
 */
public record PackResult(Digest diffId, long size, Digest digest, long compressedSize, String mediaType) {
}
