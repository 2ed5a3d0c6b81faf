package dev.jcontainers.api;

import java.time.Instant;

/**
 * One line of {@code docker image history}, newest first. {@code layerDigest} is null for entries that
 * made no filesystem change ({@code emptyLayer}); {@code size} is that layer's compressed size.
 */
public record HistoryEntry(Instant created, String createdBy, String comment, long size, boolean emptyLayer,
                           String layerDigest) {
}
