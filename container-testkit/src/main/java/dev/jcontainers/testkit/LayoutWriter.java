package dev.jcontainers.testkit;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipParameters;

/**
 * Writes an OCI image layout: blobs by digest, then {@code index.json} listing the tagged
 * descriptors. Layers are written deterministically (fixed mtimes, uid/gid 0, no user names,
 * zero gzip timestamp), so equal content always gives equal digests.
 */
final class LayoutWriter {

    static final Instant EPOCH = Instant.parse("2024-01-01T00:00:00Z");
    static final String REF_NAME = "org.opencontainers.image.ref.name";

    /** A written layer: its blob descriptor and the digest of its uncompressed tar. */
    record Layer(BlobRef blob, String diffId, String createdBy) {
    }

    private final Path layout;
    private final ObjectMapper json;
    private final List<ObjectNode> tagged = new ArrayList<>();

    LayoutWriter(Path layout, ObjectMapper json) {
        this.layout = layout;
        this.json = json;
        try {
            Files.createDirectories(layout.resolve("blobs/sha256"));
            Files.writeString(layout.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Path layout() {
        return layout;
    }

    BlobRef writeJson(String mediaType, ObjectNode content) {
        try {
            return writeBlob(mediaType, json.writeValueAsBytes(content));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    BlobRef writeBlob(String mediaType, byte[] content) {
        String digest = "sha256:" + HexFormat.of().formatHex(sha256().digest(content));
        Path target = layout.resolve("blobs/sha256").resolve(digest.substring(7));
        try {
            if (!Files.exists(target)) {
                Files.write(target, content);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new BlobRef(mediaType, digest, content.length);
    }

    /** Streams the layer through tar, diff-id hashing, gzip and blob hashing into one file. */
    Layer writeLayer(LayerContent content, int gzipLevel) {
        MessageDigest diffId = sha256();
        MessageDigest blobDigest = sha256();
        try {
            Path temp = Files.createTempFile(layout.resolve("blobs/sha256"), ".layer-", ".tmp");
            try (OutputStream file = new DigestOutputStream(Files.newOutputStream(temp), blobDigest)) {
                GzipParameters parameters = new GzipParameters();
                parameters.setCompressionLevel(gzipLevel);
                parameters.setModificationTime(0);
                try (GzipCompressorOutputStream gzip = new GzipCompressorOutputStream(file, parameters);
                        TarArchiveOutputStream tar = new TarArchiveOutputStream(new DigestOutputStream(gzip, diffId),
                                StandardCharsets.UTF_8.name())) {
                    tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
                    tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
                    for (LayerContent.Entry entry : content.entries()) {
                        writeEntry(tar, entry);
                    }
                    tar.finish();
                }
            }
            long size = Files.size(temp);
            String digest = "sha256:" + HexFormat.of().formatHex(blobDigest.digest());
            Files.move(temp, layout.resolve("blobs/sha256").resolve(digest.substring(7)),
                    StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return new Layer(new BlobRef(TestImages.LAYER_GZIP, digest, size),
                    "sha256:" + HexFormat.of().formatHex(diffId.digest()), content.createdBy());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Lists {@code descriptor} in index.json under {@code tag}. */
    void tag(BlobRef descriptor, String tag) {
        ObjectNode entry = json.createObjectNode().put("mediaType", descriptor.mediaType())
                .put("digest", descriptor.digest()).put("size", descriptor.size());
        entry.putObject("annotations").put(REF_NAME, tag);
        tagged.add(entry);
    }

    void writeIndex() {
        ObjectNode index = json.createObjectNode().put("schemaVersion", 2).put("mediaType", TestImages.INDEX);
        index.putArray("manifests").addAll(tagged);
        try {
            Files.write(layout.resolve("index.json"), json.writeValueAsBytes(index));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void writeEntry(TarArchiveOutputStream tar, LayerContent.Entry entry) throws IOException {
        TarArchiveEntry header = switch (entry) {
            case LayerContent.Directory d -> {
                TarArchiveEntry h = new TarArchiveEntry(d.path().endsWith("/") ? d.path() : d.path() + "/", TarConstants.LF_DIR);
                h.setMode(d.mode());
                yield h;
            }
            case LayerContent.RegularFile f -> {
                TarArchiveEntry h = new TarArchiveEntry(f.path(), TarConstants.LF_NORMAL);
                h.setMode(f.mode());
                h.setSize(f.content().length);
                yield h;
            }
            case LayerContent.RandomFile r -> {
                TarArchiveEntry h = new TarArchiveEntry(r.path(), TarConstants.LF_NORMAL);
                h.setMode(r.mode());
                h.setSize(r.size());
                yield h;
            }
            case LayerContent.Symlink s -> {
                TarArchiveEntry h = new TarArchiveEntry(s.path(), TarConstants.LF_SYMLINK);
                h.setLinkName(s.target());
                h.setMode(0777);
                yield h;
            }
        };
        header.setModTime(FileTime.from(EPOCH));
        header.setUserId(0);
        header.setGroupId(0);
        header.setUserName("");
        header.setGroupName("");
        tar.putArchiveEntry(header);
        switch (entry) {
            case LayerContent.RegularFile f -> tar.write(f.content());
            case LayerContent.RandomFile r -> writeRandom(tar, r.size(), r.seed());
            default -> {
            }
        }
        tar.closeArchiveEntry();
    }

    private static void writeRandom(OutputStream out, long size, long seed) throws IOException {
        SplittableRandom random = new SplittableRandom(seed);
        byte[] chunk = new byte[1 << 20];
        for (long left = size; left > 0; left -= chunk.length) {
            random.nextBytes(chunk);
            out.write(chunk, 0, (int) Math.min(chunk.length, left));
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
