package dev.jcontainers.oci.layer;

import com.github.luben.zstd.Zstd;
import dev.jcontainers.api.DigestMismatchException;
import dev.jcontainers.api.MalformedContentException;
import dev.jcontainers.api.UnsafeLayerEntryException;
import dev.jcontainers.api.UnsupportedMediaTypeException;
import dev.jcontainers.oci.image.Digest;
import dev.jcontainers.oci.image.MediaTypes;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LayerUnpackerTest {
    @TempDir
    Path parent;
    Path target;
    Path outside;

    @BeforeEach
    void sentinel() throws IOException {
        target = parent.resolve("layer");
        outside = parent.resolve("outside");
        Files.createDirectories(outside.resolve("etc"));
        Files.writeString(outside.resolve("etc/passwd"), "root:x:0:0");
        Files.writeString(outside.resolve("x"), "sentinel");
    }

    private UnpackResult unpack(byte[] tar, UnpackOptions options) {
        return new LayerUnpacker(options).unpack(new ByteArrayInputStream(tar), MediaTypes.OCI_LAYER,
                TarBuilder.diffId(tar), target);
    }

    private static UnpackOptions options() {
        return UnpackOptions.defaults();
    }

    @Test
    void unpacksEveryEntryTypeWithItsMetadata() throws IOException {
        Root.require();
        String longName = "deep/" + "n".repeat(120) + "/file";
        TarArchiveEntry setuid = TarBuilder.entry("bin/su", TarConstants.LF_NORMAL);
        setuid.setMode(04755);
        setuid.setUserId(0);
        TarArchiveEntry owned = TarBuilder.entry("home/user/notes", TarConstants.LF_NORMAL);
        owned.setMode(0640);
        owned.setUserId(1000);
        owned.setGroupId(1001);
        owned.addPaxHeader("SCHILY.xattr.user.comment", "hello");
        owned.addPaxHeader("SCHILY.xattr.trusted.tag", "t");
        TarArchiveEntry ping = TarBuilder.entry("bin/ping", TarConstants.LF_NORMAL);
        ping.setMode(0755);
        // cap_net_raw+ep, VFS_CAP_REVISION_2: all bytes are ASCII, so the SCHILY (text) form carries it exactly
        byte[] capability = {1, 0, 0, 2, 0, 0x20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
        ping.addPaxHeader("SCHILY.xattr.security.capability", new String(capability, StandardCharsets.UTF_8));
        TarArchiveEntry sticky = TarBuilder.entry("tmp/", TarConstants.LF_DIR);
        sticky.setMode(01777);
        sticky.setModTime(1_600_000_000_000L);
        TarArchiveEntry fifo = TarBuilder.entry("run/pipe", TarConstants.LF_FIFO);
        fifo.setMode(0620);
        TarArchiveEntry link = TarBuilder.entry("bin/sh", TarConstants.LF_SYMLINK);
        link.setLinkName("/image/bin/busybox");
        link.setUserId(7);
        link.setModTime(1_500_000_000_000L);

        byte[] tar = new TarBuilder()
                .dir("bin").add(setuid, "su".getBytes()).add(ping, "ping".getBytes()).add(link)
                .hardlink("bin/su-again", "bin/su")
                .add(owned, "private".getBytes())
                .add(sticky).file("tmp/inside", "x")
                .add(fifo)
                .device("dev/null", TarConstants.LF_CHR, 1, 3)
                .device("dev/sda", TarConstants.LF_BLK, 8, 0)
                .file(longName, "long")
                .tar();
        UnpackResult result = unpack(tar, options());

        assertThat(result.diffId()).isEqualTo(Digest.sha256(tar));
        assertThat(result.uncompressedSize()).isEqualTo(tar.length);
        assertThat(result.files()).isEqualTo(5);
        Map<String, TreeSnapshot.Node> tree = TreeSnapshot.of(target);
        assertThat(tree.get("bin/su").mode()).isEqualTo(04755);
        assertThat(tree.get("bin/ping").xattrs()).containsEntry("security.capability", hex(capability));
        assertThat(tree.get("home/user/notes")).satisfies(n -> {
            assertThat(n.uid()).isEqualTo(1000);
            assertThat(n.gid()).isEqualTo(1001);
            assertThat(n.mode()).isEqualTo(0640);
            assertThat(n.xattrs()).containsEntry("user.comment", hex("hello".getBytes()))
                    .containsEntry("trusted.tag", hex("t".getBytes()));
        });
        assertThat(tree.get("home").mode()).as("implicit parent").isEqualTo(0755);
        assertThat(tree.get("tmp")).satisfies(n -> {
            assertThat(n.mode()).isEqualTo(01777);
            assertThat(n.mtime()).as("set after its contents").isEqualTo(1_600_000_000L);
        });
        assertThat(tree.get("run/pipe").type()).isEqualTo("fifo");
        assertThat(tree.get("run/pipe").mode()).isEqualTo(0620);
        assertThat(tree.get("dev/null").type()).isEqualTo("char");
        assertThat(tree.get("dev/null").rdev()).isEqualTo(PosixFiles.makedev(1, 3));
        assertThat(tree.get("dev/sda").type()).isEqualTo("block");
        assertThat(tree.get("bin/sh")).satisfies(n -> {
            assertThat(n.link()).isEqualTo("/image/bin/busybox");
            assertThat(n.uid()).isEqualTo(7);
            assertThat(n.mtime()).isEqualTo(1_500_000_000L);
        });
        assertThat(Files.readAttributes(target.resolve("bin/su-again"), "unix:ino"))
                .isEqualTo(Files.readAttributes(target.resolve("bin/su"), "unix:ino"));
        assertThat(tree.get(longName).content()).isEqualTo(Digest.sha256("long".getBytes()).toString());
    }

    @Test
    void readsGnuLongNames() throws IOException {
        String name = "g/" + "x".repeat(150);
        String linkTarget = "t/" + "y".repeat(150);
        byte[] tar = new TarBuilder(TarArchiveOutputStream.LONGFILE_GNU).file(name, "gnu")
                .symlink("s", linkTarget).tar();
        unpack(tar, options().withDevicesAllowed(false));
        assertThat(target.resolve(name)).hasContent("gnu");
        assertThat(PosixFiles.readlink(target.resolve("s"))).isEqualTo(linkTarget);
    }

    @Test
    void turnsWhiteoutsIntoOverlayForm() throws IOException {
        Root.require();
        byte[] tar = new TarBuilder()
                .dir("etc").file("etc/.wh.motd", "").file(".wh.gone", "")
                .dir("var/cache").file("var/cache/.wh..wh..opq", "").file("var/cache/fresh", "new")
                .file(".wh..wh.plnk", "")
                .tar();
        UnpackResult result = unpack(tar, options());

        Map<String, TreeSnapshot.Node> tree = TreeSnapshot.of(target);
        for (String hidden : List.of("etc/motd", "gone")) {
            assertThat(tree.get(hidden).type()).isEqualTo("char");
            assertThat(tree.get(hidden).rdev()).isZero();
        }
        assertThat(tree.get("var/cache").xattrs()).containsEntry("trusted.overlay.opaque", hex("y".getBytes()));
        assertThat(tree.keySet()).noneMatch(path -> Path.of(path).getFileName().toString().startsWith(".wh."));
        assertThat(tree.get("var/cache/fresh").type()).isEqualTo("file");
        assertThat(result.entries()).isEqualTo(7);
    }

    @Test
    void stripsLeadingSlashesSoAbsoluteNamesLandInside() throws IOException {
        Map<String, TreeSnapshot.Node> before = TreeSnapshot.exact(outside);
        unpack(new TarBuilder().file("/etc/x", "inside").file("//./etc/y", "too").tar(), options());
        assertThat(target.resolve("etc/x")).hasContent("inside");
        assertThat(target.resolve("etc/y")).hasContent("too");
        assertThat(TreeSnapshot.exact(outside)).isEqualTo(before);
    }

    static Stream<Arguments> hostileLayers() {
        return Stream.of(
                Arguments.of("parent component", new TarBuilder().file("../x", "evil"), "../x"),
                Arguments.of("climbing through a directory", new TarBuilder().dir("a").file("a/../../x", "evil"),
                        "a/../../x"),
                Arguments.of("symlink to / as parent", new TarBuilder().symlink("a", "/").file("a/etc/x", "evil"),
                        "a/etc/x"),
                Arguments.of("symlink to .. as parent", new TarBuilder().symlink("a", "..").file("a/outside/x", "evil"),
                        "a/outside/x"),
                Arguments.of("symlink as parent of a directory", new TarBuilder().symlink("a", "../outside").dir("a/new"),
                        "a/new/"),
                Arguments.of("hardlink climbing out", new TarBuilder().hardlink("passwd", "../../etc/passwd"),
                        "passwd"),
                Arguments.of("hardlink to an absolute path that is not in the layer",
                        new TarBuilder().hardlink("passwd", "/etc/passwd"), "passwd"),
                Arguments.of("hardlink to an escaping symlink",
                        new TarBuilder().symlink("s", "../outside/x").hardlink("h", "s"), "h"),
                Arguments.of("hardlink through a symlinked parent",
                        new TarBuilder().symlink("o", "../outside").hardlink("h", "o/x"), "h"),
                Arguments.of("device where forbidden", new TarBuilder().device("dev/sda", TarConstants.LF_BLK, 8, 0),
                        "dev/sda"),
                Arguments.of("file replacing a directory",
                        new TarBuilder().dir("d").file("d/f", "x").file("d", "replaced"), "d"),
                Arguments.of("directory replacing a symlink", new TarBuilder().symlink("d", "../outside").dir("d"),
                        "d/"),
                Arguments.of("whiteout of ..", new TarBuilder().file("a/.wh...", ""), "a/.wh..."),
                Arguments.of("overlay control xattr from the tar", new TarBuilder().add(redirect()), "r/"));
    }

    private static TarArchiveEntry redirect() {
        TarArchiveEntry entry = TarBuilder.entry("r/", TarConstants.LF_DIR);
        entry.addPaxHeader("SCHILY.xattr.trusted.overlay.redirect", "/outside");
        return entry;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostileLayers")
    void rejectsHostileEntriesAndChangesNothingOutside(String description, TarBuilder layer, String entry) {
        Outside before = Outside.snapshot(parent);
        byte[] tar = layer.tar();

        assertThatThrownBy(() -> unpack(tar, options().withDevicesAllowed(false)))
                .isInstanceOfSatisfying(UnsafeLayerEntryException.class,
                        e -> assertThat(e.entryName()).isEqualTo(entry));
        before.assertUnchanged();
    }

    @Test
    void rejectsALayerWhoseDiffIdDoesNotMatch() {
        byte[] tar = new TarBuilder().file("a", "content").tar();
        Digest wrong = Digest.sha256("something else".getBytes());
        Outside before = Outside.snapshot(parent);

        assertThatThrownBy(() -> new LayerUnpacker(options()).unpack(new ByteArrayInputStream(tar),
                MediaTypes.OCI_LAYER, wrong, target))
                .isInstanceOfSatisfying(DigestMismatchException.class, e -> {
                    assertThat(e.expected()).isEqualTo(wrong.toString());
                    assertThat(e.actual()).isEqualTo(Digest.sha256(tar).toString());
                });
        before.assertUnchanged();
    }

    @Test
    void rejectsATruncatedGzipStream() {
        byte[] tar = new TarBuilder().file("a", "x".repeat(100_000)).file("b", "y").tar();
        byte[] gzip = TarBuilder.gzip(tar);
        byte[] truncated = Arrays.copyOf(gzip, gzip.length / 2);
        Outside before = Outside.snapshot(parent);

        assertThatThrownBy(() -> new LayerUnpacker(options()).unpack(new ByteArrayInputStream(truncated),
                MediaTypes.OCI_LAYER_GZIP, Digest.sha256(tar), target))
                .isInstanceOf(MalformedContentException.class)
                .hasMessageContaining("truncated");
        before.assertUnchanged();
    }

    @Test
    void rejectsUnknownMediaTypesBeforeTouchingAnything() {
        assertThatThrownBy(() -> new LayerUnpacker(options()).unpack(new ByteArrayInputStream(new byte[0]),
                "application/vnd.example.layer.v1.tar+lz4", Digest.sha256(new byte[0]), target))
                .isInstanceOf(UnsupportedMediaTypeException.class);
        assertThat(target).doesNotExist();
    }

    @Test
    void decompressesEveryLayerMediaTypeAndHashesTheTar() throws IOException {
        byte[] tar = new TarBuilder().file("hello", "world").tar();
        Map<String, byte[]> blobs = Map.of(
                MediaTypes.OCI_LAYER, tar,
                MediaTypes.OCI_LAYER_GZIP, TarBuilder.gzip(tar),
                MediaTypes.DOCKER_LAYER_GZIP, TarBuilder.gzip(tar),
                MediaTypes.OCI_LAYER_ZSTD, Zstd.compress(tar));
        int n = 0;
        for (Map.Entry<String, byte[]> blob : blobs.entrySet()) {
            Path dir = parent.resolve("layer" + n++);
            UnpackResult result = new LayerUnpacker(options()).unpack(new ByteArrayInputStream(blob.getValue()),
                    blob.getKey(), Digest.sha256(tar), dir);
            assertThat(result.diffId()).as(blob.getKey()).isEqualTo(Digest.sha256(tar));
            assertThat(dir.resolve("hello")).hasContent("world");
        }
    }

    @Test
    void shiftsOwnersForUserNamespaces() throws IOException {
        Root.require();
        TarArchiveEntry file = TarBuilder.entry("f", TarConstants.LF_NORMAL);
        file.setUserId(1000);
        file.setGroupId(100);
        unpack(new TarBuilder().add(file, new byte[0]).file("implicit/g", "").tar(),
                new UnpackOptions(100_000, 200_000, false, true));
        Map<String, TreeSnapshot.Node> tree = TreeSnapshot.of(target);
        assertThat(tree.get("f").uid()).isEqualTo(101_000);
        assertThat(tree.get("f").gid()).isEqualTo(200_100);
        assertThat(tree.get("implicit").uid()).as("implicit dirs belong to the shifted root").isEqualTo(100_000);
        assertThat(tree.get("").uid()).isEqualTo(100_000);
    }

    @Test
    void laterEntriesReplaceEarlierNonDirectories() throws IOException {
        byte[] tar = new TarBuilder().file("a", "first").symlink("b", "/nowhere").file("a", "second")
                .file("b", "file now").tar();
        unpack(tar, options());
        assertThat(target.resolve("a")).hasContent("second");
        assertThat(Files.isSymbolicLink(target.resolve("b"))).isFalse();
        assertThat(Files.readString(target.resolve("b"), StandardCharsets.UTF_8)).isEqualTo("file now");
    }

    @Test
    void refusesToUnpackOverAnExistingLayer() throws IOException {
        Files.createDirectory(target);
        assertThatThrownBy(() -> unpack(new TarBuilder().file("a", "x").tar(), options()))
                .hasMessageContaining("already exists");
        assertThat(Files.exists(target.resolve("a"), LinkOption.NOFOLLOW_LINKS)).isFalse();
    }

    static String hex(byte[] bytes) {
        return java.util.HexFormat.of().formatHex(bytes);
    }
}
