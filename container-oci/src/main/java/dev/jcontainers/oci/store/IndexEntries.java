package dev.jcontainers.oci.store;

import dev.jcontainers.oci.image.Descriptor;
import dev.jcontainers.oci.image.Digest;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The naming rules of index.json as pure functions over its entry list: one entry per name, an image that
 * loses its last name stays as one dangling entry (no ref.name) so that its blobs survive GC until pruned.
 */
final class IndexEntries {
    private IndexEntries() {
    }

    static String name(Descriptor d) {
        return d.annotation(Descriptor.ANNOTATION_REF_NAME);
    }

    static boolean isDangling(Descriptor d) {
        return name(d) == null;
    }

    /** Points {@code name} at {@code manifest}; the image it pointed to before becomes dangling if unnamed. */
    static List<Descriptor> tag(List<Descriptor> entries, String name, Descriptor manifest) {
        List<Descriptor> out = untag(entries, name);
        String digest = manifest.digest();
        // The named entry now protects this image; a dangling copy of it would only be noise.
        out.removeIf(d -> isDangling(d) && d.digest().equals(digest));
        out.add(withName(manifest, name));
        return out;
    }

    /** Removes {@code name}; leaves a dangling entry when no other entry keeps the image. */
    static List<Descriptor> untag(List<Descriptor> entries, String name) {
        List<Descriptor> out = new ArrayList<>(entries.size() + 1);
        Descriptor removed = null;
        for (Descriptor d : entries) {
            if (removed == null && name.equals(name(d))) {
                removed = d;
            } else {
                out.add(d);
            }
        }
        if (removed != null) {
            String digest = removed.digest();
            if (out.stream().noneMatch(d -> d.digest().equals(digest))) {
                out.add(withName(removed, null));
            }
        }
        return out;
    }

    static List<Descriptor> removeDigest(List<Descriptor> entries, Digest digest) {
        String text = digest.toString();
        return entries.stream().filter(d -> !d.digest().equals(text)).toList();
    }

    static Descriptor find(List<Descriptor> entries, String name) {
        return entries.stream().filter(d -> name.equals(name(d))).findFirst().orElse(null);
    }

    /** {@code d} with the ref.name annotation set to {@code name}, or removed when {@code name} is null. */
    static Descriptor withName(Descriptor d, String name) {
        Map<String, String> annotations = new LinkedHashMap<>();
        if (d.annotations() != null) {
            annotations.putAll(d.annotations());
        }
        if (name == null) {
            annotations.remove(Descriptor.ANNOTATION_REF_NAME);
        } else {
            annotations.put(Descriptor.ANNOTATION_REF_NAME, name);
        }
        return d.withAnnotations(annotations.isEmpty() ? null : Collections.unmodifiableMap(annotations));
    }
}
