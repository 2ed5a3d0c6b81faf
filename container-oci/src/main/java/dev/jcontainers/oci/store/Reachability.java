package dev.jcontainers.oci.store;

import dev.jcontainers.api.MalformedContentException;
import dev.jcontainers.api.UnsupportedMediaTypeException;
import dev.jcontainers.oci.image.Descriptor;
import dev.jcontainers.oci.image.Digest;
import dev.jcontainers.oci.image.ImageIndex;
import dev.jcontainers.oci.image.ImageManifest;
import dev.jcontainers.oci.image.ManifestDocument;
import dev.jcontainers.oci.image.MediaTypes;
import dev.jcontainers.oci.image.OciJson;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The blobs reachable from index.json: entries, then through nested indexes to manifests, then to their
 * configs and layers. A manifest's {@code subject} is not followed: a referrer (signature, SBOM) does not
 * own the image it describes.
 */
final class Reachability {
    /** What to do with a manifest or index blob that exists but cannot be parsed. */
    enum OnUnreadable { FAIL, SKIP }

    final Set<Digest> present = new LinkedHashSet<>();
    final Set<Digest> missing = new TreeSet<>();

    private Reachability() {
    }

    static Reachability walk(Iterable<Descriptor> roots, Function<Digest, Path> blobPath, OnUnreadable onUnreadable) {
        Reachability r = new Reachability();
        Deque<Descriptor> todo = new ArrayDeque<>();
        roots.forEach(todo::add);
        Set<Digest> seen = new HashSet<>();
        while (!todo.isEmpty()) {
            Descriptor d = todo.pop();
            Digest digest = d.parsedDigest();
            if (!seen.add(digest)) {
                continue;
            }
            Path path = blobPath.apply(digest);
            if (!Files.exists(path)) {
                r.missing.add(digest);
                continue;
            }
            r.present.add(digest);
            if (!MediaTypes.isIndex(d.mediaType()) && !MediaTypes.isManifest(d.mediaType())) {
                continue;
            }
            ManifestDocument doc;
            try {
                doc = OciJson.parseManifest(Files.readAllBytes(path), d.mediaType());
            } catch (NoSuchFileException e) {
                r.present.remove(digest);
                r.missing.add(digest);
                continue;
            } catch (IOException | MalformedContentException | UnsupportedMediaTypeException e) {
                if (onUnreadable == OnUnreadable.SKIP) {
                    continue;
                }
                throw new MalformedContentException("cannot read " + d.mediaType() + " " + path
                        + ", so the blobs it references are unknown: " + e.getMessage(), e);
            }
            switch (doc) {
                case ImageIndex index -> index.manifests().forEach(todo::push);
                case ImageManifest manifest -> {
                    todo.push(manifest.config());
                    manifest.layers().forEach(todo::push);
                }
            }
        }
        return r;
    }
}
