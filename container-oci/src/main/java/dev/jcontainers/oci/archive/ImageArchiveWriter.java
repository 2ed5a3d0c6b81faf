package dev.jcontainers.oci.archive;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jcontainers.oci.image.Descriptor;
import dev.jcontainers.oci.image.Digest;
import dev.jcontainers.oci.image.ImageIndex;
import dev.jcontainers.oci.image.ImageManifest;
import dev.jcontainers.oci.image.ManifestDocument;
import dev.jcontainers.oci.image.MediaTypes;
import dev.jcontainers.oci.image.OciJson;
import dev.jcontainers.oci.reference.ImageReference;
import dev.jcontainers.oci.store.OciStore;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes images as one tar that is, like Docker 25's {@code docker save}, both an OCI image layout
 * ({@code oci-layout}, {@code index.json}, {@code blobs/sha256/...}) and a {@code docker save} archive
 * ({@code manifest.json} whose Config and Layers point into {@code blobs/sha256/}).
 *
 * <p>One difference from Docker: layers are written as stored (usually gzip-compressed), not decompressed, so
 * the archive holds the very manifests a registry serves and every digest survives a save/load round trip.
 * Docker, skopeo's {@code docker-archive:} and {@code oci-archive:} transports all detect the compression of
 * a layer file. Entries are written in a fixed order with mtime 0, so the same images give the same bytes.
 */
public final class ImageArchiveWriter {
    static final String CONTAINERD_NAME = "io.containerd.image.name";
    private static final FileTime EPOCH = FileTime.from(Instant.EPOCH);

    private ImageArchiveWriter() {
    }

    /** Writes {@code images} (whose blobs {@code store} has) to {@code out}; does not close it. */
    public static void write(OciStore store, List<ArchivedImage> images, OutputStream out) throws IOException {
        TarArchiveOutputStream tar = new TarArchiveOutputStream(out);
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        directory(tar, "blobs/");
        directory(tar, "blobs/sha256/");
        Set<Digest> written = new HashSet<>();
        List<Descriptor> indexEntries = new ArrayList<>();
        ArrayNode dockerManifest = OciJson.mapper().createArrayNode();
        for (ArchivedImage image : images) {
            Descriptor top = image.manifest();
            byte[] manifestBytes = store.read(top.parsedDigest());
            ManifestDocument doc = OciJson.parseManifest(manifestBytes, top.mediaType());
            if (!(doc instanceof ImageManifest manifest)) {
                throw new IllegalArgumentException(top.digest() + " is not an image manifest");
            }
            blob(tar, store, top.parsedDigest(), written);
            blob(tar, store, manifest.config().parsedDigest(), written);
            List<String> layerPaths = new ArrayList<>();
            for (Descriptor layer : manifest.layers()) {
                blob(tar, store, layer.parsedDigest(), written);
                layerPaths.add(blobPath(layer.parsedDigest()));
            }
            ObjectNode entry = dockerManifest.addObject();
            entry.put("Config", blobPath(manifest.config().parsedDigest()));
            ArrayNode repoTags = entry.putArray("RepoTags");
            layerPaths.forEach(entry.putArray("Layers")::add);

            Descriptor plain = new Descriptor(top.mediaType(), top.digest(), top.size(), null, null, top.platform(),
                    null);
            if (image.names().isEmpty()) {
                indexEntries.add(plain);
            }
            for (String name : image.names()) {
                ImageReference ref = ImageReference.parse(name);
                if (ref.tag() != null && !ref.isDigested()) {
                    repoTags.add(ref.familiar());
                }
                Map<String, String> annotations = new LinkedHashMap<>();
                annotations.put(CONTAINERD_NAME, ref.toString());
                if (ref.tag() != null) {
                    annotations.put(Descriptor.ANNOTATION_REF_NAME, ref.tag());
                }
                indexEntries.add(plain.withAnnotations(annotations));
            }
        }
        file(tar, "index.json", OciJson.write(new ImageIndex(2, MediaTypes.OCI_INDEX, indexEntries, null)));
        file(tar, "manifest.json", OciJson.write(dockerManifest));
        file(tar, "oci-layout", "{\"imageLayoutVersion\":\"1.0.0\"}".getBytes(StandardCharsets.UTF_8));
        tar.finish();
        tar.flush();
    }

    static String blobPath(Digest digest) {
        return "blobs/" + digest.algorithm() + "/" + digest.hex();
    }

    private static void blob(TarArchiveOutputStream tar, OciStore store, Digest digest, Set<Digest> written)
            throws IOException {
        if (!written.add(digest)) {
            return;
        }
        long size = store.size(digest).orElseThrow(() -> new dev.jcontainers.api.StorageException(
                "blob " + digest + " is missing from the store"));
        TarArchiveEntry entry = entry(blobPath(digest), size);
        tar.putArchiveEntry(entry);
        try (InputStream in = store.open(digest)) {
            in.transferTo(tar);
        }
        tar.closeArchiveEntry();
    }

    private static void file(TarArchiveOutputStream tar, String name, byte[] content) throws IOException {
        tar.putArchiveEntry(entry(name, content.length));
        tar.write(content);
        tar.closeArchiveEntry();
    }

    private static void directory(TarArchiveOutputStream tar, String name) throws IOException {
        TarArchiveEntry entry = new TarArchiveEntry(name);
        entry.setMode(0755 | TarArchiveEntry.DEFAULT_DIR_MODE & ~0777);
        entry.setLastModifiedTime(EPOCH);
        tar.putArchiveEntry(entry);
        tar.closeArchiveEntry();
    }

    private static TarArchiveEntry entry(String name, long size) {
        TarArchiveEntry entry = new TarArchiveEntry(name);
        entry.setSize(size);
        entry.setMode(0644 | TarArchiveEntry.DEFAULT_FILE_MODE & ~0777);
        entry.setLastModifiedTime(EPOCH);
        return entry;
    }
}
