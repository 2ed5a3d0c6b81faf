package dev.jcontainers.api;

/**
 * A pushed image: the reference it was pushed to, and the digest and size of its manifest as the registry
 * stores it (Docker prints {@code <tag>: digest: <digest> size: <size>}).
 */
public record PushResult(String reference, String digest, long size) {
}
