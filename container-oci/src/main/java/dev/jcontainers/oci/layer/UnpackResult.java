package dev.jcontainers.oci.layer;

import dev.jcontainers.oci.image.Digest;

/**
 * What unpacking one layer produced.
 *
 * @param diffId           sha256 of the uncompressed tar stream, verified against the expected diff ID
 * @param uncompressedSize bytes of the uncompressed tar stream
 * @param entries          tar entries applied (whiteouts and opaque markers included)
 * @param files            regular files written (hardlinks not counted)
 */
public record UnpackResult(Digest diffId, long uncompressedSize, long entries, long files) {
}
