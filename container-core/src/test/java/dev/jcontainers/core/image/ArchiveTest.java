package dev.jcontainers.core.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jcontainers.api.Engine;
import dev.jcontainers.api.ImageDetails;
import dev.jcontainers.api.LayerInfo;
import dev.jcontainers.api.MalformedContentException;
import dev.jcontainers.core.LocalEngine;
import dev.jcontainers.testkit.ExternalProcess;
import dev.jcontainers.testkit.FixtureImage;
import dev.jcontainers.testkit.Requirements;
import dev.jcontainers.testkit.TestImages;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** docker save / load and OCI layouts; skopeo is the independent reader and writer of both formats. */
class ArchiveTest {
    private static final String NAME = "registry.example/team/app:1";

    @TempDir
    static Path fixtures;
    static FixtureImage image;

    @TempDir
    Path root;
    @TempDir
    Path work;

    @BeforeAll
    static void fixture() {
        image = new TestImages(fixtures).multiLayer("app", 2);
    }

    private Engine engine(Path store) {
        return new LocalEngine(TestEngines.isolated(store).build());
    }

    private static JsonNode skopeo(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Requirements.requireTool("skopeo").toString(),
                "--insecure-policy"));
        command.addAll(List.of(args));
        String stdout = ExternalProcess.check(Duration.ofSeconds(60), command).stdout();
        // copy prints progress, inspect prints JSON
        return args[0].equals("inspect") ? new ObjectMapper().readTree(stdout) : null;
    }

    /** The fixture, loaded from its OCI layout directory and named. */
    private void loadNamed(Engine engine) {
        assertThat(engine.images().load(image.layout())).containsExactly(image.configDigest());
        engine.images().tag(image.configDigest(), NAME);
    }

    @Test
    void savedArchiveIsReadBySkopeoAsDockerArchiveAndAsOciArchive() throws Exception {
        Path archive = work.resolve("app.tar");
        try (Engine engine = engine(root)) {
            loadNamed(engine);
            engine.images().save(List.of(NAME), archive);
        }
        JsonNode docker = skopeo("inspect", "docker-archive:" + archive);
        assertThat(docker.get("Layers")).hasSize(2);
        JsonNode config = skopeo("inspect", "--config", "docker-archive:" + archive);
        assertThat(config.at("/rootfs/diff_ids")).hasSize(2);
        skopeo("copy", "docker-archive:" + archive, "oci:" + work.resolve("from-docker") + ":copy");
        // As an OCI archive it is our stored image byte for byte: the same manifest digest.
        assertThat(skopeo("inspect", "oci-archive:" + archive).get("Digest").asText())
                .isEqualTo(image.manifestDigest());
    }

    @Test
    void saveThenLoadRoundTripsDigestsAndNames() {
        Path archive = work.resolve("app.tar");
        try (Engine engine = engine(root)) {
            loadNamed(engine);
            engine.images().save(List.of(NAME), archive);
        }
        try (Engine other = engine(work.resolve("other"))) {
            assertThat(other.images().load(archive)).containsExactly(NAME);
            ImageDetails details = other.images().inspect(NAME);
            assertThat(details.id()).isEqualTo(image.configDigest());
            assertThat(details.manifestDigest()).isEqualTo(image.manifestDigest());
            assertThat(((LocalEngine) other).store().verify().ok()).isTrue();
        }
    }

    @Test
    void loadsADockerArchiveWrittenBySkopeoWithUncompressedLayers() throws Exception {
        Path archive = work.resolve("skopeo.tar");
        skopeo("copy", "oci:" + image.layout() + ":" + image.tag(), "docker-archive:" + archive + ":" + NAME);
        gzip(archive, work.resolve("skopeo.tar.gz"));
        for (Path input : List.of(archive, work.resolve("skopeo.tar.gz"))) {
            Path store = work.resolve("store-" + input.getFileName());
            try (Engine engine = engine(store)) {
                assertThat(engine.images().load(input)).containsExactly(NAME);
                ImageDetails details = engine.images().inspect(NAME);
                assertThat(details.id()).isEqualTo(image.configDigest());
                // Uncompressed layers are stored as they came: their digests are the diff IDs.
                assertThat(details.layers()).extracting(LayerInfo::digest).containsExactlyElementsOf(image.diffIds());
                assertThat(details.layers()).extracting(LayerInfo::mediaType)
                        .containsOnly("application/vnd.oci.image.layer.v1.tar");
            }
        }
    }

    @Test
    void loadsALegacyDockerSaveLayoutWithLayerTarDirectoriesAndSymlinkedDuplicates() throws Exception {
        byte[] config = Files.readAllBytes(image.layout().resolve("blobs/sha256/" + image.config().hex()));
        byte[] layer = gunzip(image.layout().resolve("blobs/sha256/" + image.layers().getFirst().hex()));
        byte[] layer2 = gunzip(image.layout().resolve("blobs/sha256/" + image.layers().get(1).hex()));
        String manifest = "[{\"Config\":\"" + image.config().hex() + ".json\",\"RepoTags\":[\"legacy:1\"],"
                + "\"Layers\":[\"aaa/layer.tar\",\"bbb/layer.tar\"]}]";
        Path archive = work.resolve("legacy.tar");
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(Files.newOutputStream(archive))) {
            file(tar, "manifest.json", manifest.getBytes(StandardCharsets.UTF_8));
            file(tar, image.config().hex() + ".json", config);
            file(tar, "repositories", "{\"legacy\":{\"1\":\"bbb\"}}".getBytes(StandardCharsets.UTF_8));
            file(tar, "ccc/layer.tar", layer);
            symlink(tar, "aaa/layer.tar", "../ccc/layer.tar");
            file(tar, "bbb/layer.tar", layer2);
        }
        try (Engine engine = engine(root)) {
            assertThat(engine.images().load(archive)).containsExactly("docker.io/library/legacy:1");
            assertThat(engine.images().inspect("legacy:1").id()).isEqualTo(image.configDigest());
        }
    }

    @Test
    void pathTraversalIsRejectedAndTheStoreStaysUnchanged() throws Exception {
        try (Engine engine = engine(root)) {
            loadNamed(engine);
        }
        Map<String, String> before = StoreSnapshot.of(root);
        Path dotdot = work.resolve("dotdot.tar");
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(Files.newOutputStream(dotdot))) {
            file(tar, "manifest.json", "[]".getBytes(StandardCharsets.UTF_8));
            file(tar, "../evil", "x".getBytes(StandardCharsets.UTF_8));
        }
        Path escapingLink = work.resolve("link.tar");
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(Files.newOutputStream(escapingLink))) {
            file(tar, "manifest.json", "[]".getBytes(StandardCharsets.UTF_8));
            symlink(tar, "layer.tar", "../../etc/passwd");
        }
        try (Engine engine = engine(root)) {
            assertThatThrownBy(() -> engine.images().load(dotdot))
                    .isInstanceOf(MalformedContentException.class).hasMessageContaining("../evil");
            assertThatThrownBy(() -> engine.images().load(escapingLink))
                    .isInstanceOf(MalformedContentException.class).hasMessageContaining("layer.tar");
        }
        assertThat(StoreSnapshot.of(root)).isEqualTo(before);
    }

    @Test
    void anArchiveFailingHalfwayLeavesNoBlobBehind() throws Exception {
        byte[] config = Files.readAllBytes(image.layout().resolve("blobs/sha256/" + image.config().hex()));
        byte[] layer = gunzip(image.layout().resolve("blobs/sha256/" + image.layers().getFirst().hex()));
        Path archive = work.resolve("half.tar");
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(Files.newOutputStream(archive))) {
            file(tar, "manifest.json", ("[{\"Config\":\"c.json\",\"RepoTags\":[\"half:1\"],"
                    + "\"Layers\":[\"l1.tar\",\"missing.tar\"]}]").getBytes(StandardCharsets.UTF_8));
            file(tar, "c.json", config);
            file(tar, "l1.tar", layer);
        }
        try (Engine engine = engine(root)) {
            engine.images().list(); // creates the empty store
        }
        Map<String, String> before = StoreSnapshot.of(root);
        try (Engine engine = engine(root)) {
            assertThatThrownBy(() -> engine.images().load(archive))
                    .isInstanceOf(MalformedContentException.class).hasMessageContaining("missing.tar");
            assertThatThrownBy(() -> engine.images().load(work.resolve("absent")))
                    .hasMessageContaining("no such file");
        }
        assertThat(StoreSnapshot.of(root)).isEqualTo(before);
    }

    private static void file(TarArchiveOutputStream tar, String name, byte[] content) throws IOException {
        TarArchiveEntry e = new TarArchiveEntry(name, true);
        e.setSize(content.length);
        tar.putArchiveEntry(e);
        tar.write(content);
        tar.closeArchiveEntry();
    }

    private static void symlink(TarArchiveOutputStream tar, String name, String target) throws IOException {
        TarArchiveEntry e = new TarArchiveEntry(name, TarArchiveEntry.LF_SYMLINK, true);
        e.setLinkName(target);
        tar.putArchiveEntry(e);
        tar.closeArchiveEntry();
    }

    private static byte[] gunzip(Path file) throws IOException {
        try (InputStream in = new java.util.zip.GZIPInputStream(Files.newInputStream(file))) {
            return in.readAllBytes();
        }
    }

    private static void gzip(Path from, Path to) throws IOException {
        try (OutputStream out = new GzipCompressorOutputStream(Files.newOutputStream(to))) {
            Files.copy(from, out);
        }
    }
}
