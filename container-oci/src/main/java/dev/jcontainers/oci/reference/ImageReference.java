package dev.jcontainers.oci.reference;

import java.util.Optional;

/**
 * A parsed, normalised image reference {@code [registry/][namespace/]repository[:tag|@digest]}.
 * Placeholder signatures; the implementation lands from the reference work.
 */
public record ImageReference(String registry, String repository, String tag, String digest) {
    public static final String DOCKER_HUB = "docker.io";

    public static ImageReference parse(String text) {
        throw new UnsupportedOperationException("not yet");
    }

    public static Optional<ImageReference> tryParse(String text) {
        throw new UnsupportedOperationException("not yet");
    }

    public String familiar() {
        throw new UnsupportedOperationException("not yet");
    }

    public String name() {
        return registry + "/" + repository;
    }

    public String reference() {
        return digest != null ? digest : tag;
    }

    public ImageReference withTag(String t) {
        return new ImageReference(registry, repository, t, digest);
    }

    public ImageReference withDigest(String d) {
        return new ImageReference(registry, repository, tag, d);
    }

    public ImageReference withoutTag() {
        return new ImageReference(registry, repository, null, digest);
    }

    public boolean isDigested() {
        return digest != null;
    }
}
