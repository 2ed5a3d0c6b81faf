package dev.jcontainers.core.image;

import dev.jcontainers.api.LayerInfo;
import dev.jcontainers.api.Platform;
import dev.jcontainers.oci.image.Descriptor;
import dev.jcontainers.oci.image.Digest;
import dev.jcontainers.oci.image.ImageConfig;
import dev.jcontainers.oci.image.ImageManifest;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * One image as the store holds it: every index.json entry for the same manifest, with the manifest and
 * config read from their blobs. The image ID is the config digest, as in Docker.
 */
record StoredImage(Digest manifestDigest, String manifestMediaType, ImageManifest manifest, ImageConfig config,
                   List<Descriptor> entries) {

    /** Annotation holding {@code registry/repo@digest} as resolved by the registry at pull time. */
    static final String REPO_DIGEST_ANNOTATION = "dev.jcontainers.image.repo-digest";

    String id() {
        return manifest.config().digest();
    }

    List<String> names() {
        List<String> names = new ArrayList<>();
        for (Descriptor d : entries) {
            String n = d.annotation(Descriptor.ANNOTATION_REF_NAME);
            if (n != null && !names.contains(n)) {
                names.add(n);
            }
        }
        return names;
    }

    /** Names that carry a tag (not {@code repo@digest} names). */
    List<String> repoTags() {
        return names().stream().filter(n -> !n.contains("@")).toList();
    }

    List<String> repoDigests() {
        List<String> out = new ArrayList<>();
        for (Descriptor d : entries) {
            String rd = d.annotation(REPO_DIGEST_ANNOTATION);
            if (rd != null && !out.contains(rd)) {
                out.add(rd);
            }
            String n = d.annotation(Descriptor.ANNOTATION_REF_NAME);
            if (n != null && n.contains("@") && !out.contains(n)) {
                out.add(n);
            }
        }
        return out;
    }

    boolean dangling() {
        return names().isEmpty();
    }

    long size() {
        long total = manifest.config().size();
        for (Descriptor layer : manifest.layers()) {
            total += layer.size();
        }
        return total;
    }

    Platform platform() {
        return new Platform(orEmpty(config.os()), orEmpty(config.architecture()), config.variant());
    }

    Instant created() {
        return parseTime(config.created());
    }

    List<LayerInfo> layers() {
        List<String> diffIds = config.rootfs().diffIds();
        List<LayerInfo> out = new ArrayList<>();
        List<Descriptor> layers = manifest.layers();
        for (int i = 0; i < layers.size(); i++) {
            Descriptor l = layers.get(i);
            out.add(new LayerInfo(l.digest(), i < diffIds.size() ? diffIds.get(i) : null, l.mediaType(), l.size()));
        }
        return out;
    }

    /** Lenient RFC 3339: registries write many variants; an unreadable time is unknown, not an error. */
    static Instant parseTime(String text) {
        if (text == null || text.isEmpty()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            try {
                return Instant.parse(text);
            } catch (DateTimeParseException e2) {
                return null;
            }
        }
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }
}
