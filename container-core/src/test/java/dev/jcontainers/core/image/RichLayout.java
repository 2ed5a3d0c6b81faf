package dev.jcontainers.core.image;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.zip.GZIPOutputStream;

/**
 * A two-layer OCI image layout written directly with Commons Compress (not with our packer), holding what a
 * tar layer can: setuid file, file capability and user xattr, owners, hardlinks (in both layers), a symlink,
 * a FIFO, then a file whiteout, an opaque directory and a replaced file.
 */
final class RichLayout {
    /** cap_net_raw+ep (VFS_CAP_REVISION_2); ASCII bytes, so Commons' text PAX values carry it exactly. */
    static final byte[] CAP_NET_RAW = {1, 0, 0, 2, 0, 0x20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path layout;
    private final ArrayNode diffIds = JSON.createArrayNode();
    private final ArrayNode layers = JSON.createArrayNode();

    private RichLayout(Path layout) {
        this.layout = layout;
    }

    static Path write(Path layout, String tag) throws IOException {
        RichLayout writer = new RichLayout(layout);
        Files.createDirectories(layout.resolve("blobs/sha256"));
        Files.writeString(layout.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
        writer.layer(writer.base());
        writer.layer(writer.changes());
        writer.finish(tag);
        return layout;
    }

    private byte[] base() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            put(tar, entry("bin/", TarConstants.LF_DIR, 0755), null);
            TarArchiveEntry tool = entry("bin/tool", TarConstants.LF_NORMAL, 04755);
            put(tar, tool, "#!tool\n");
            TarArchiveEntry ping = entry("bin/ping", TarConstants.LF_NORMAL, 0755);
            ping.addPaxHeader("SCHILY.xattr.security.capability", new String(CAP_NET_RAW, StandardCharsets.ISO_8859_1));
            put(tar, ping, "ping\n");
            TarArchiveEntry link = entry("bin/tool-link", TarConstants.LF_LINK, 04755);
            link.setLinkName("bin/tool");
            put(tar, link, null);
            TarArchiveEntry sh = entry("bin/sh", TarConstants.LF_SYMLINK, 0777);
            sh.setLinkName("tool");
            put(tar, sh, null);
            put(tar, entry("etc/", TarConstants.LF_DIR, 0755), null);
            TarArchiveEntry conf = entry("etc/app.conf", TarConstants.LF_NORMAL, 0640);
            conf.setUserId(1000);
            conf.setGroupId(1001);
            conf.addPaxHeader("SCHILY.xattr.user.comment", "hello");
            put(tar, conf, "v1\n");
            put(tar, entry("data/", TarConstants.LF_DIR, 0750), null);
            put(tar, entry("data/pipe", TarConstants.LF_FIFO, 0620), null);
            put(tar, entry("data/old.txt", TarConstants.LF_NORMAL, 0644), "old\n");
            put(tar, entry("data/dir/", TarConstants.LF_DIR, 0755), null);
            put(tar, entry("data/dir/x.txt", TarConstants.LF_NORMAL, 0644), "x\n");
            TarArchiveEntry tmp = entry("tmp/", TarConstants.LF_DIR, 01777);
            put(tar, tmp, null);
        }
        return bytes.toByteArray();
    }

    private byte[] changes() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
            put(tar, entry("data/", TarConstants.LF_DIR, 0750), null);
            put(tar, entry("data/.wh.old.txt", TarConstants.LF_NORMAL, 0644), "");
            put(tar, entry("data/dir/", TarConstants.LF_DIR, 0755), null);
            put(tar, entry("data/dir/.wh..wh..opq", TarConstants.LF_NORMAL, 0644), "");
            put(tar, entry("data/dir/y.txt", TarConstants.LF_NORMAL, 0644), "y\n");
            put(tar, entry("data/h1", TarConstants.LF_NORMAL, 0600), "shared\n");
            TarArchiveEntry h2 = entry("data/h2", TarConstants.LF_LINK, 0600);
            h2.setLinkName("data/h1");
            put(tar, h2, null);
            put(tar, entry("etc/", TarConstants.LF_DIR, 0755), null);
            put(tar, entry("etc/app.conf", TarConstants.LF_NORMAL, 0600), "v2\n");
        }
        return bytes.toByteArray();
    }

    private static TarArchiveEntry entry(String name, byte type, int mode) {
        TarArchiveEntry entry = new TarArchiveEntry(name, type);
        entry.setMode(mode);
        entry.setUserName("");
        entry.setGroupName("");
        entry.setModTime(1_700_000_000_000L);
        return entry;
    }

    private static void put(TarArchiveOutputStream tar, TarArchiveEntry entry, String content) throws IOException {
        byte[] bytes = content == null ? new byte[0] : content.getBytes(StandardCharsets.UTF_8);
        entry.setSize(bytes.length);
        tar.putArchiveEntry(entry);
        tar.write(bytes);
        tar.closeArchiveEntry();
    }

    private void layer(byte[] tar) throws IOException {
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write(tar);
        }
        diffIds.add("sha256:" + sha256(tar));
        layers.add(descriptor("application/vnd.oci.image.layer.v1.tar+gzip", blob(gz.toByteArray()), gz.size()));
    }

    private void finish(String tag) throws IOException {
        ObjectNode config = JSON.createObjectNode().put("architecture", "amd64").put("os", "linux")
                .put("created", "2024-01-01T00:00:00Z");
        config.putObject("config").putArray("Cmd").add("/bin/sh");
        ObjectNode rootfs = config.putObject("rootfs").put("type", "layers");
        rootfs.set("diff_ids", diffIds);
        byte[] configBytes = JSON.writeValueAsBytes(config);
        ObjectNode manifest = JSON.createObjectNode().put("schemaVersion", 2)
                .put("mediaType", "application/vnd.oci.image.manifest.v1+json");
        manifest.set("config", descriptor("application/vnd.oci.image.config.v1+json", blob(configBytes),
                configBytes.length));
        manifest.set("layers", layers);
        byte[] manifestBytes = JSON.writeValueAsBytes(manifest);
        ObjectNode entry = descriptor("application/vnd.oci.image.manifest.v1+json", blob(manifestBytes),
                manifestBytes.length);
        entry.putObject("annotations").put("org.opencontainers.image.ref.name", tag);
        ObjectNode index = JSON.createObjectNode().put("schemaVersion", 2);
        index.putArray("manifests").add(entry);
        Files.write(layout.resolve("index.json"), JSON.writeValueAsBytes(index));
    }

    private String blob(byte[] content) throws IOException {
        String hex = sha256(content);
        Files.write(layout.resolve("blobs/sha256/" + hex), content);
        return "sha256:" + hex;
    }

    private static ObjectNode descriptor(String mediaType, String digest, long size) {
        return JSON.createObjectNode().put("mediaType", mediaType).put("digest", digest).put("size", size);
    }

    private static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
