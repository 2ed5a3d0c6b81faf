package dev.jcontainers.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TestImagesTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path root;

    @Test
    void sameCallGivesSameDigests() {
        TestImages images = new TestImages(root);
        FixtureImage first = images.multiLayer("x", 3);
        FixtureImage second = images.multiLayer("y", 3);
        assertThat(second.layout()).isNotEqualTo(first.layout());
        assertThat(second.manifestDigest()).isEqualTo(first.manifestDigest());
        assertThat(second.layerDigests()).isEqualTo(first.layerDigests()).hasSize(3).doesNotHaveDuplicates();
    }

    @Test
    void layoutIsConsistent() throws Exception {
        FixtureImage image = new TestImages(root).multiLayer("v2", 2);

        JsonNode index = JSON.readTree(image.layout().resolve("index.json").toFile());
        assertThat(index.path("manifests")).hasSize(1);
        JsonNode entry = index.path("manifests").get(0);
        assertThat(entry.path("digest").asText()).isEqualTo(image.manifestDigest());
        assertThat(entry.path("annotations").path("org.opencontainers.image.ref.name").asText()).isEqualTo("v2");
        assertThat(image.layout().resolve("oci-layout")).content().contains("1.0.0");

        JsonNode config = JSON.readTree(image.blobPath(image.configDigest()).toFile());
        assertThat(config.path("rootfs").path("diff_ids")).extracting(JsonNode::asText).containsExactlyElementsOf(image.diffIds());
        JsonNode history = config.path("history");
        assertThat(history).hasSize(3);
        assertThat(history.get(2).path("empty_layer").asBoolean()).isTrue();
        assertThat(config.path("config").path("Cmd").get(0).asText()).isEqualTo("sh");

        for (int i = 0; i < image.layers().size(); i++) {
            BlobRef layer = image.layers().get(i);
            Path blob = image.blobPath(layer.digest());
            assertThat(Files.size(blob)).isEqualTo(layer.size());
            assertThat(sha256(Files.newInputStream(blob))).isEqualTo(layer.digest());
            assertThat(sha256(new GzipCompressorInputStream(Files.newInputStream(blob)))).isEqualTo(image.diffIds().get(i));
        }
        assertThat(sha256(Files.newInputStream(image.blobPath(image.manifestDigest())))).isEqualTo(image.manifestDigest());
    }

    @Test
    void baseLayerHoldsBusyboxWithDeterministicHeaders() throws Exception {
        FixtureImage image = new TestImages(root).singleLayer("base");
        List<String> names = new ArrayList<>();
        try (TarArchiveInputStream tar = new TarArchiveInputStream(new GzipCompressorInputStream(
                Files.newInputStream(image.blobPath(image.layerDigests().get(0)))))) {
            for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
                names.add(e.getName());
                assertThat(e.getLongUserId()).isZero();
                assertThat(e.getUserName()).isEmpty();
                assertThat(e.getModTime().toInstant()).isEqualTo(java.time.Instant.parse("2024-01-01T00:00:00Z"));
                if (e.getName().equals("bin/busybox")) {
                    assertThat(tar.readAllBytes()).isEqualTo(TestImages.busyboxBinary());
                    assertThat(e.getMode() & 0777).isEqualTo(0755);
                }
                if (e.getName().equals("bin/sh")) {
                    assertThat(e.isSymbolicLink()).isTrue();
                    assertThat(e.getLinkName()).isEqualTo("busybox");
                }
                if (e.getName().equals("tmp/")) {
                    assertThat(e.getMode() & 07777).isEqualTo(01777);
                }
            }
        }
        assertThat(names).contains("bin/", "bin/busybox", "bin/sh", "etc/passwd", "etc/group", "tmp/");
        assertThat(image.files()).containsEntry("etc/passwd", TestImages.PASSWD).doesNotContainKey("bin/busybox");
    }

    @Test
    void sharedBaseIsOneBlob() throws Exception {
        List<FixtureImage> pair = new TestImages(root).withSharedBase("a", "b");
        FixtureImage a = pair.get(0);
        FixtureImage b = pair.get(1);
        assertThat(a.layout()).isEqualTo(b.layout());
        assertThat(a.layerDigests().get(0)).isEqualTo(b.layerDigests().get(0));
        assertThat(a.layerDigests().get(1)).isNotEqualTo(b.layerDigests().get(1));
        assertThat(JSON.readTree(a.layout().resolve("index.json").toFile()).path("manifests")).hasSize(2);
        assertThat(a.files()).containsEntry("app/a.txt", "a\n").doesNotContainKey("app/b.txt");
    }

    @Test
    void multiPlatformIndexNamesBothPlatforms() throws Exception {
        FixtureIndex index = new TestImages(root).multiPlatform("multi");
        JsonNode blob = JSON.readTree(index.blobPath(index.indexDigest()).toFile());
        assertThat(blob.path("mediaType").asText()).isEqualTo(TestImages.INDEX);
        assertThat(blob.path("manifests")).extracting(m -> m.path("platform").path("architecture").asText())
                .containsExactly("amd64", "arm64");
        FixtureImage arm = index.platform("arm64");
        assertThat(arm.files()).containsEntry("etc/platform", "linux/arm64\n");
        assertThat(JSON.readTree(arm.blobPath(arm.configDigest()).toFile()).path("architecture").asText()).isEqualTo("arm64");
        assertThat(arm.manifestDigest()).isNotEqualTo(index.platform("amd64").manifestDigest());
    }

    @Test
    void largeImageIsIncompressibleAndSized() throws Exception {
        FixtureImage image = new TestImages(root).large("big", 10, 3);
        assertThat(image.layers()).hasSize(4);
        long dataBlobs = image.layers().subList(1, 4).stream().mapToLong(BlobRef::size).sum();
        assertThat(dataBlobs).isGreaterThan(10L << 20);
        assertThat(new TestImages(root).large("again", 10, 3).layerDigests()).isEqualTo(image.layerDigests());
    }

    /** umoci, an independent implementation, unpacks every fixture to exactly the files we claim. */
    @Test
    void umociUnpacksTheFixturesAsDescribed() throws Exception {
        Requirements.requireTool("umoci");
        TestImages images = new TestImages(root);
        for (FixtureImage image : List.of(images.singleLayer("one"), images.multiLayer("three", 3),
                images.withWhiteouts("wh"))) {
            Path bundle = root.resolve("bundle-" + image.tag());
            ExternalProcess.check(Skopeo.TIMEOUT, List.of("umoci", "unpack", "--rootless",
                    "--image", image.layout() + ":" + image.tag(), bundle.toString()));
            Path rootfs = bundle.resolve("rootfs");
            for (Map.Entry<String, String> file : image.files().entrySet()) {
                assertThat(rootfs.resolve(file.getKey())).hasContent(file.getValue());
            }
            assertThat(rootfs.resolve("bin/busybox")).hasBinaryContent(TestImages.busyboxBinary());
            assertThat(Files.readSymbolicLink(rootfs.resolve("bin/sh"))).isEqualTo(Path.of("busybox"));
        }
        Path data = root.resolve("bundle-wh/rootfs/data");
        assertThat(data.resolve("a.txt")).doesNotExist();
        assertThat(data.resolve("dir/b.txt")).doesNotExist();
        assertThat(data.resolve("dir/c.txt")).hasContent("c");
        assertThat(data.resolve("keep.txt")).exists();
    }

    private static String sha256(InputStream in) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        try (in) {
            byte[] buffer = new byte[65536];
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
        }
        return "sha256:" + HexFormat.of().formatHex(digest.digest());
    }
}
