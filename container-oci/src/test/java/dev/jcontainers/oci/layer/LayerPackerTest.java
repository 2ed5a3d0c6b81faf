package dev.jcontainers.oci.layer;

import dev.jcontainers.oci.image.Digest;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class LayerPackerTest {
    private static final long T = 1_700_000_000L;

    @TempDir
    Path work;

    /** A tree with every entry type and the metadata a layer carries, mtimes in whole seconds. */
    private Path richTree() throws IOException {
        Path root = work.resolve("source");
        Files.createDirectories(root.resolve("bin"));
        Files.createDirectories(root.resolve("home/user/" + "long".repeat(40)));
        Files.writeString(root.resolve("bin/busybox"), "#!busybox");
        PosixFiles.chmod(root.resolve("bin/busybox"), 04755);
        PosixFiles.symlink("busybox", root.resolve("bin/sh"));
        PosixFiles.symlink("/image/etc/absolute//target/", root.resolve("bin/abs"));
        Files.createLink(root.resolve("bin/ls"), root.resolve("bin/busybox"));
        Files.writeString(root.resolve("home/user/" + "long".repeat(40) + "/file"), "deep");
        Path notes = root.resolve("home/user/notes");
        Files.writeString(notes, "private");
        PosixFiles.chmod(notes, 0640);
        PosixFiles.lchown(notes, 1000, 1001);
        PosixFiles.setXattr(notes, "user.comment", "hello".getBytes());
        // cap_setuid+ep: byte 0x80 is not UTF-8, so it must travel in the binary-safe form
        PosixFiles.setXattr(root.resolve("bin/busybox"), "security.capability",
                new byte[] {1, 0, 0, 2, (byte) 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0});
        Files.createDirectories(root.resolve("tmp"));
        PosixFiles.chmod(root.resolve("tmp"), 01777);
        Files.createDirectories(root.resolve("dev"));
        PosixFiles.mknod(root.resolve("dev/null"), PosixFiles.S_IFCHR, 0666, 1, 3);
        PosixFiles.mknod(root.resolve("dev/loop0"), PosixFiles.S_IFBLK, 0660, 7, 0);
        PosixFiles.mkfifo(root.resolve("tmp/fifo"), 0600);
        PosixFiles.chmod(root.resolve("tmp/fifo"), 0620);
        setAllMtimes(root);
        return root;
    }

    private static void setAllMtimes(Path root) throws IOException {
        List<Path> paths;
        try (var walk = Files.walk(root)) {
            paths = new ArrayList<>(walk.toList());
        }
        java.util.Collections.reverse(paths); // children before their directories
        long t = T;
        for (Path path : paths) {
            PosixFiles.setMtime(path, t++, 0);
        }
    }

    private PackResult pack(Path source, PackOptions options, ByteArrayOutputStream out) {
        return new LayerPacker(options).pack(source, out);
    }

    @ParameterizedTest
    @EnumSource(LayerCompression.class)
    void roundTripsEveryEntryType(LayerCompression compression) throws IOException {
        Root.require();
        Path source = richTree();
        ByteArrayOutputStream blob = new ByteArrayOutputStream();
        PackResult packed = pack(source, PackOptions.of(compression), blob);

        assertThat(packed.digest()).isEqualTo(Digest.sha256(blob.toByteArray()));
        assertThat(packed.compressedSize()).isEqualTo(blob.size());
        assertThat(packed.mediaType()).isEqualTo(compression.mediaType());
        byte[] tar = compression.decompress(new ByteArrayInputStream(blob.toByteArray())).readAllBytes();
        assertThat(packed.diffId()).isEqualTo(Digest.sha256(tar));
        assertThat(packed.size()).isEqualTo(tar.length);

        Path unpacked = work.resolve("unpacked");
        UnpackResult result = new LayerUnpacker(UnpackOptions.defaults()).unpack(
                new ByteArrayInputStream(blob.toByteArray()), compression.mediaType(), packed.diffId(), unpacked);
        assertThat(result.diffId()).isEqualTo(packed.diffId());
        Map<String, TreeSnapshot.Node> expected = TreeSnapshot.of(source);
        Map<String, TreeSnapshot.Node> actual = TreeSnapshot.of(unpacked);
        expected.remove(""); // the layer root is not an entry
        actual.remove("");
        assertThat(actual).isEqualTo(expected);
        assertThat(Files.readAttributes(unpacked.resolve("bin/ls"), "unix:ino"))
                .isEqualTo(Files.readAttributes(unpacked.resolve("bin/busybox"), "unix:ino"));
    }

    @Test
    void writesASortedDeterministicTarWithNumericOwnersAndHardlinkEntries() throws IOException {
        Root.require();
        Path source = richTree();
        ByteArrayOutputStream first = new ByteArrayOutputStream();
        ByteArrayOutputStream second = new ByteArrayOutputStream();
        PackResult a = pack(source, PackOptions.of(LayerCompression.GZIP), first);
        PackResult b = pack(source, PackOptions.of(LayerCompression.GZIP), second);
        assertThat(b).isEqualTo(a);
        assertThat(second.toByteArray()).isEqualTo(first.toByteArray());

        Map<String, TarArchiveEntry> entries = entries(LayerCompression.GZIP.decompress(
                new ByteArrayInputStream(first.toByteArray())));
        assertThat(entries.keySet()).startsWith("bin/", "bin/abs", "bin/busybox", "bin/ls", "bin/sh", "dev/");
        assertThat(entries.get("bin/ls").isLink()).isTrue();
        assertThat(entries.get("bin/ls").getLinkName()).isEqualTo("bin/busybox");
        assertThat(entries.get("bin/abs").getLinkName()).isEqualTo("/image/etc/absolute//target/");
        assertThat(entries.values()).allSatisfy(e -> {
            assertThat(e.getUserName()).isEmpty();
            assertThat(e.getGroupName()).isEmpty();
        });
        assertThat(entries.get("home/user/notes").getLongUserId()).isEqualTo(1000);
    }

    @Test
    void fixesOrClampsMtimes() throws IOException {
        Path source = work.resolve("times");
        Files.createDirectories(source);
        Files.writeString(source.resolve("old"), "o");
        Files.writeString(source.resolve("new"), "n");
        PosixFiles.setMtime(source.resolve("old"), 1000, 0);
        PosixFiles.setMtime(source.resolve("new"), 3000, 500);

        Map<String, TarArchiveEntry> clamped = entries(tarOf(source,
                PackOptions.of(LayerCompression.NONE).withMtimeClamp(Instant.ofEpochSecond(2000))));
        assertThat(clamped.get("old").getLastModifiedTime().toInstant()).isEqualTo(Instant.ofEpochSecond(1000));
        assertThat(clamped.get("new").getLastModifiedTime().toInstant()).isEqualTo(Instant.ofEpochSecond(2000));

        Map<String, TarArchiveEntry> fixed = entries(tarOf(source,
                PackOptions.of(LayerCompression.NONE).withFixedMtime(Instant.ofEpochSecond(42))));
        assertThat(fixed.values()).allSatisfy(e ->
                assertThat(e.getLastModifiedTime().toInstant()).isEqualTo(Instant.ofEpochSecond(42)));
    }

    @Test
    void turnsOverlayWhiteoutsAndOpaqueDirectoriesIntoOciMarkersAndBack() throws IOException {
        Root.require();
        Path upper = work.resolve("upper");
        Files.createDirectories(upper.resolve("etc"));
        Files.createDirectories(upper.resolve("var/cache"));
        PosixFiles.mknod(upper.resolve("etc/motd"), PosixFiles.S_IFCHR, 0, 0, 0);
        PosixFiles.setXattr(upper.resolve("var/cache"), "trusted.overlay.opaque", "y".getBytes());
        PosixFiles.setXattr(upper.resolve("var"), "trusted.overlay.origin", new byte[] {0, 1, 2});
        Files.writeString(upper.resolve("var/cache/fresh"), "new");
        setAllMtimes(upper);

        ByteArrayOutputStream blob = new ByteArrayOutputStream();
        PackResult packed = pack(upper, PackOptions.of(LayerCompression.GZIP), blob);
        Map<String, TarArchiveEntry> entries = entries(LayerCompression.GZIP.decompress(
                new ByteArrayInputStream(blob.toByteArray())));
        assertThat(entries.keySet()).containsExactly("etc/", "etc/.wh.motd", "var/", "var/cache/",
                "var/cache/.wh..wh..opq", "var/cache/fresh");
        assertThat(entries.get("etc/.wh.motd").isFile()).isTrue();
        assertThat(entries.values()).allSatisfy(e -> assertThat(e.getExtraPaxHeaders().keySet())
                .noneMatch(k -> k.contains("trusted.overlay")));

        Path unpacked = work.resolve("lower");
        new LayerUnpacker(UnpackOptions.defaults()).unpack(new ByteArrayInputStream(blob.toByteArray()),
                packed.mediaType(), packed.diffId(), unpacked);
        Map<String, TreeSnapshot.Node> tree = TreeSnapshot.of(unpacked);
        assertThat(tree.get("etc/motd").type()).isEqualTo("char");
        assertThat(tree.get("etc/motd").rdev()).isZero();
        assertThat(tree.get("var/cache").xattrs()).containsOnlyKeys("trusted.overlay.opaque");
        assertThat(tree.get("var").xattrs()).isEmpty();
    }

    private byte[] tarOf(Path source, PackOptions options) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        pack(source, options, out);
        return out.toByteArray();
    }

    private static Map<String, TarArchiveEntry> entries(byte[] tar) throws IOException {
        return entries(new ByteArrayInputStream(tar));
    }

    private static Map<String, TarArchiveEntry> entries(InputStream tarStream) throws IOException {
        Map<String, TarArchiveEntry> entries = new LinkedHashMap<>();
        try (TarArchiveInputStream tar = new TarArchiveInputStream(tarStream)) {
            for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
                entries.put(e.getName(), e);
            }
        }
        return entries;
    }
}
