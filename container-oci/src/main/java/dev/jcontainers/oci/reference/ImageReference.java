package dev.jcontainers.oci.reference;

/**
 * A parsed, normalised image reference {@code [registry/][namespace/]repository[:tag|@digest]}.
 * TODO(reference helper): grammar, normalisation, formatting.
 */
public record ImageReference(String registry, String repository, String tag, String digest) {
    public static final String DOCKER_HUB = "docker.io";

    public static ImageReference parse(String text) {
        throw new UnsupportedOperationException("not yet");
    }
}
