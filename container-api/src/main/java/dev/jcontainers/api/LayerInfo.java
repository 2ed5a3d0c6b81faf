package dev.jcontainers.api;

/** One layer of an image: its compressed blob digest, uncompressed diff ID, media type and compressed size. */
public record LayerInfo(String digest, String diffId, String mediaType, long size) {
}
