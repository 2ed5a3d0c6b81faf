package dev.jcontainers.testkit;

/** A content descriptor of a fixture blob: media type, {@code sha256:<hex>} digest and size in bytes. */
public record BlobRef(String mediaType, String digest, long size) {

    /** The hex part of the digest, which is also the blob's file name under {@code blobs/sha256/}. */
    public String hex() {
        return digest.substring(digest.indexOf(':') + 1);
    }
}
