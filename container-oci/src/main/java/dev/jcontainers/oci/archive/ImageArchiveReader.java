package dev.jcontainers.oci.archive;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jcontainers.api.MalformedContentException;
import dev.jcontainers.api.Platform;
import dev.jcontainers.api.UnsupportedMediaTypeException;
import dev.jcontainers.oci.image.Descriptor;
import dev.jcontainers.oci.image.DescriptorPlatform;
import dev.jcontainers.oci.image.Digest;
import dev.jcontainers.oci.image.ImageConfig;
import dev.jcontainers.oci.image.ImageIndex;
import dev.jcontainers.oci.image.ImageManifest;
import dev.jcontainers.oci.image.ManifestDocument;
import dev.jcontainers.oci.image.MediaTypes;
import dev.jcontainers.oci.image.OciJson;
import dev.jcontainers.oci.reference.ImageReference;
import dev.jcontainers.oci.registry.RegistryClient;
import dev.jcontainers.oci.store.BlobWriter;
import dev.jcontainers.oci.store.OciStore;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Copies the images of an archive into the store, verifying every blob, and returns them with their names
 * for the caller to tag. Reads OCI image layouts (a directory or an {@code oci-archive} tar, also Docker 25's
 * {@code docker save} output, which is one) and {@code docker save} archives with only {@code manifest.json}
 * (legacy {@code <id>/layer.tar} or skopeo's {@code docker-archive:}).
 *
 * <p>From a {@code manifest.json}-only archive a new OCI manifest is made: uncompressed layers are stored as
 * they are, with media type {@code application/vnd.oci.image.layer.v1.tar} (their digest must then equal the
 * config's diff ID); gzip and zstd layers keep their compression. On any failure the blobs this load added are
 * removed again, and nothing has been tagged, so the store is as before.
 */
public final class ImageArchiveReader {
    private static final int MAX_JSON_BYTES = 8 << 20;
    private static final int COPY_BUFFER_BYTES = 256 << 10;
    private static final Pattern BLOB_PATH = Pattern.compile("blobs/sha256/([a-f0-9]{64})");

    private final OciStore store;
    private final Platform platform;
    private final Set<Digest> written = new HashSet<>();

    private ImageArchiveReader(OciStore store, Platform platform) {
        this.store = store;
        this.platform = platform;
    }

    /**
     * Loads {@code archive} (a tar file, optionally gzip-compressed, or a directory); from a multi-platform
     * index only the manifest for {@code platform} is taken. {@code tempDir} receives a decompressed copy of a
     * gzip archive while loading.
     */
    public static List<ArchivedImage> load(OciStore store, Path archive, Platform platform, Path tempDir) {
        ImageArchiveReader reader = new ImageArchiveReader(store, platform);
        try (OciStore.Lease lease = store.lease();
             ArchiveSource source = Files.isDirectory(archive) ? new DirectorySource(archive)
                     : TarSource.open(archive, tempDir)) {
            return reader.read(source);
        } catch (IOException e) {
            reader.rollback(null);
            throw new MalformedContentException("cannot read archive " + archive + ": " + e.getMessage(), e);
        } catch (RuntimeException | Error e) {
            reader.rollback(e);
            throw e;
        }
    }

    private void rollback(Throwable failure) {
        if (written.isEmpty()) {
            return;
        }
        try {
            store.collect(written);
        } catch (RuntimeException cleanup) {
            if (failure != null) {
                failure.addSuppressed(cleanup);
            }
        }
    }

    private List<ArchivedImage> read(ArchiveSource source) throws IOException {
        List<ArchivedImage> images;
        if (source.exists("oci-layout") && source.exists("index.json")) {
            images = readLayout(source);
        } else if (source.exists("manifest.json")) {
            images = readDockerArchive(source);
        } else {
            throw new MalformedContentException("neither an OCI image layout (oci-layout, index.json) nor a"
                    + " docker save archive (manifest.json)");
        }
        if (images.isEmpty()) {
            throw new MalformedContentException("the archive holds no image");
        }
        return images;
    }

    // ---- OCI layout --------------------------------------------------------------------------------------

    private List<ArchivedImage> readLayout(ArchiveSource source) throws IOException {
        JsonNode layout = json(source.read("oci-layout", MAX_JSON_BYTES), "oci-layout");
        if (!"1.0.0".equals(layout.path("imageLayoutVersion").asText())) {
            throw new MalformedContentException("unsupported OCI layout version "
                    + layout.path("imageLayoutVersion"));
        }
        ImageIndex index = OciJson.parseIndex(source.read("index.json", MAX_JSON_BYTES));
        List<ArchivedImage> images = new ArrayList<>();
        for (Descriptor entry : index.manifests()) {
            Descriptor manifest = entry;
            if (MediaTypes.isIndex(entry.mediaType())) {
                ImageIndex nested = OciJson.parseIndex(readVerified(source, entry));
                manifest = RegistryClient.selectPlatform(nested, platform, "index " + entry.digest());
            } else if (!MediaTypes.isManifest(entry.mediaType())) {
                continue; // an artifact, not an image
            }
            Descriptor stored = importManifest(source, manifest);
            images.add(new ArchivedImage(stored, namesOf(entry)));
        }
        return images;
    }

    /** Docker and containerd put the full name in {@code io.containerd.image.name}; skopeo only a tag. */
    private static List<String> namesOf(Descriptor entry) {
        String full = entry.annotation(ImageArchiveWriter.CONTAINERD_NAME);
        String refName = entry.annotation(Descriptor.ANNOTATION_REF_NAME);
        String candidate = full != null ? full : refName != null && refName.contains("/") ? refName : null;
        return candidate == null ? List.of() : List.of(fullName(candidate));
    }

    private Descriptor importManifest(ArchiveSource source, Descriptor descriptor) throws IOException {
        byte[] bytes = readVerified(source, descriptor);
        ManifestDocument doc = OciJson.parseManifest(bytes, descriptor.mediaType());
        if (!(doc instanceof ImageManifest manifest)) {
            throw new MalformedContentException("index entry " + descriptor.digest() + " is not an image manifest");
        }
        checkMediaTypes(manifest);
        byte[] configBytes = readVerified(source, manifest.config());
        ImageConfig config = OciJson.parseConfig(configBytes);
        requireLayerCount(config, manifest.layers().size());
        putBlob(configBytes, manifest.config().parsedDigest());
        for (Descriptor layer : manifest.layers()) {
            copyBlob(source, blobName(layer.parsedDigest()), layer.parsedDigest(), layer.size());
        }
        putBlob(bytes, descriptor.parsedDigest());
        return new Descriptor(manifest.mediaType(), descriptor.digest(), bytes.length, null, null,
                DescriptorPlatform.of(platformOf(config)), null);
    }

    private static byte[] readVerified(ArchiveSource source, Descriptor d) throws IOException {
        Digest digest = d.parsedDigest();
        byte[] bytes = source.read(blobName(digest), MAX_JSON_BYTES);
        if (!digest.matches(bytes)) {
            throw new dev.jcontainers.api.DigestMismatchException("archive blob " + blobName(digest),
                    digest.toString(), Digest.sha256(bytes).toString());
        }
        return bytes;
    }

    // ---- docker save manifest.json ------------------------------------------------------------------------

    private List<ArchivedImage> readDockerArchive(ArchiveSource source) throws IOException {
        JsonNode entries = OciJson.mapper().readTree(source.read("manifest.json", MAX_JSON_BYTES));
        if (entries == null || !entries.isArray()) {
            throw new MalformedContentException("manifest.json is not a JSON array");
        }
        List<ArchivedImage> images = new ArrayList<>();
        for (JsonNode entry : entries) {
            String configName = text(entry, "Config");
            JsonNode layers = entry.path("Layers");
            if (!layers.isArray()) {
                throw new MalformedContentException("manifest.json entry for " + configName + " has no Layers array");
            }
            byte[] configBytes = source.read(configName, MAX_JSON_BYTES);
            ImageConfig config = OciJson.parseConfig(configBytes);
            requireLayerCount(config, layers.size());
            Digest configDigest = Digest.sha256(configBytes);
            putBlob(configBytes, configDigest);
            List<Descriptor> layerDescriptors = new ArrayList<>();
            for (int i = 0; i < layers.size(); i++) {
                String name = layers.get(i).asText("");
                Digest diffId = Digest.parse(config.rootfs().diffIds().get(i));
                layerDescriptors.add(importLayer(source, name, diffId));
            }
            ImageManifest manifest = new ImageManifest(2, MediaTypes.OCI_MANIFEST, null,
                    Descriptor.of(MediaTypes.OCI_CONFIG, configDigest, configBytes.length), layerDescriptors, null,
                    null);
            byte[] manifestBytes = OciJson.write(manifest);
            Digest manifestDigest = Digest.sha256(manifestBytes);
            putBlob(manifestBytes, manifestDigest);
            List<String> names = new ArrayList<>();
            for (JsonNode tag : entry.path("RepoTags")) {
                names.add(fullName(tag.asText("")));
            }
            images.add(new ArchivedImage(new Descriptor(MediaTypes.OCI_MANIFEST, manifestDigest.toString(),
                    manifestBytes.length, null, null, DescriptorPlatform.of(platformOf(config)), null), names));
        }
        return images;
    }

    /** Stores one layer file, keeping its compression; an uncompressed layer must hash to its diff ID. */
    private Descriptor importLayer(ArchiveSource source, String name, Digest diffId) throws IOException {
        if (name.isEmpty()) {
            throw new MalformedContentException("manifest.json lists an empty layer name");
        }
        String mediaType;
        try (InputStream in = source.open(name)) {
            mediaType = compressionOf(in.readNBytes(4));
        }
        // A compressed layer stored under its digest (our archives, Docker 25's) is verified against it.
        Digest expected = mediaType.equals(MediaTypes.OCI_LAYER) ? diffId
                : digestOfBlobPath(ArchivePaths.normalize(name)).orElse(null);
        long size = source.size(name);
        return Descriptor.of(mediaType, copyBlob(source, name, expected, size), size);
    }

    private static String compressionOf(byte[] magic) {
        if (magic.length >= 2 && (magic[0] & 0xff) == 0x1f && (magic[1] & 0xff) == 0x8b) {
            return MediaTypes.OCI_LAYER_GZIP;
        }
        if (magic.length >= 4 && (magic[0] & 0xff) == 0x28 && (magic[1] & 0xff) == 0xb5
                && (magic[2] & 0xff) == 0x2f && (magic[3] & 0xff) == 0xfd) {
            return MediaTypes.OCI_LAYER_ZSTD;
        }
        return MediaTypes.OCI_LAYER;
    }

    // ---- blobs --------------------------------------------------------------------------------------------

    private void putBlob(byte[] bytes, Digest digest) {
        if (!store.has(digest)) {
            store.put(bytes, digest);
            written.add(digest);
        }
    }

    /** Streams an archive file into the store, verified against {@code expected} when known. */
    private Digest copyBlob(ArchiveSource source, String name, Digest expected, long size) throws IOException {
        if (expected != null && store.has(expected)) {
            return expected;
        }
        Digest stored;
        try (InputStream in = source.open(name); BlobWriter writer = store.newBlobWriter(expected, size)) {
            byte[] buffer = new byte[COPY_BUFFER_BYTES];
            for (int n; (n = in.read(buffer)) > 0; ) {
                writer.write(ByteBuffer.wrap(buffer, 0, n));
            }
            stored = writer.commit();
        }
        written.add(stored);
        return stored;
    }

    private static String blobName(Digest digest) {
        return ImageArchiveWriter.blobPath(digest);
    }

    // ---- helpers ------------------------------------------------------------------------------------------

    private static void checkMediaTypes(ImageManifest manifest) {
        if (!MediaTypes.CONFIGS.contains(manifest.config().mediaType())) {
            throw new UnsupportedMediaTypeException(manifest.config().mediaType(), "image config");
        }
        for (Descriptor l : manifest.layers()) {
            if (!MediaTypes.LAYERS.contains(l.mediaType())) {
                throw new UnsupportedMediaTypeException(l.mediaType(), "layer " + l.digest());
            }
        }
    }

    private static void requireLayerCount(ImageConfig config, int layers) {
        if (config.rootfs().diffIds().size() != layers) {
            throw new MalformedContentException("image config lists " + config.rootfs().diffIds().size()
                    + " diff_ids but the archive has " + layers + " layers for it");
        }
    }

    private static Platform platformOf(ImageConfig config) {
        return new Platform(config.os() == null ? "" : config.os(),
                config.architecture() == null ? "" : config.architecture(), config.variant());
    }

    /** A name as the store keeps it: {@code busybox:1} becomes {@code docker.io/library/busybox:1}. */
    private static String fullName(String name) {
        return ImageReference.parse(name).toString();
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        if (!value.isTextual() || value.asText().isEmpty()) {
            throw new MalformedContentException("manifest.json entry has no " + field);
        }
        return value.asText();
    }

    private static JsonNode json(byte[] bytes, String what) {
        try {
            JsonNode node = OciJson.mapper().readTree(bytes);
            if (node == null || !node.isObject()) {
                throw new MalformedContentException(what + " is not a JSON object");
            }
            return node;
        } catch (IOException e) {
            throw new MalformedContentException(what + " is not valid JSON: " + e.getMessage(), e);
        }
    }

    private static Optional<Digest> digestOfBlobPath(String name) {
        var m = BLOB_PATH.matcher(name);
        return m.matches() ? Optional.of(new Digest("sha256", m.group(1))) : Optional.empty();
    }
}
