package dev.jcontainers.api;

import java.time.Instant;
import java.util.List;

/** Everything {@code docker image inspect} shows about a stored image. */
public record ImageDetails(String id, List<String> repoTags, List<String> repoDigests, String manifestDigest,
                           String manifestMediaType, Platform platform, Instant created, String author,
                           long size, ImageRuntimeConfig config, List<LayerInfo> layers) {
    public ImageDetails {
        repoTags = List.copyOf(repoTags);
        repoDigests = List.copyOf(repoDigests);
        layers = List.copyOf(layers);
    }
}
