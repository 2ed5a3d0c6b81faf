package dev.jcontainers.core.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jcontainers.api.EngineOptions;
import dev.jcontainers.api.ImageDetails;
import dev.jcontainers.api.ImageInUseException;
import dev.jcontainers.api.ImageSummary;
import dev.jcontainers.core.LocalEngine;
import dev.jcontainers.linux.mount.Mounts;
import dev.jcontainers.oci.image.Descriptor;
import dev.jcontainers.oci.image.Digest;
import dev.jcontainers.testkit.Requirements;
import dev.jcontainers.testkit.TestImages;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Our unpacked layers, stacked by {@code Images.mount}, against {@code umoci unpack} of the same layout; and
 * images built with {@code ImageBuilder} read back through the same mount.
 */
class ImageLayersTest {
    @TempDir
    Path tmp;
    LocalEngine engine;

    @BeforeEach
    void open() {
        Requirements.requireRoot();
        engine = new LocalEngine(EngineOptions.builder().root(tmp.resolve("root")).build());
    }

    @AfterEach
    void close() throws IOException {
        if (engine == null) {
            return;
        }
        Path mounts = tmp.resolve("root/mounts");
        if (Files.isDirectory(mounts)) {
            try (DirectoryStream<Path> dirs = Files.newDirectoryStream(mounts)) {
                for (Path dir : dirs) {
                    if (Mounts.isMountPoint(dir)) {
                        Mounts.unmount(dir);
                    }
                }
            }
        }
        engine.close();
    }

    @Test
    void mergedWhiteoutFixtureEqualsUmociAndHidesDeletedFiles() throws Exception {
        Path layout = new TestImages(tmp.resolve("fixtures")).withWhiteouts("wh").layout();
        importLayout(layout, "wh", "localhost/wh:1");
        Path merged = engine.images().mount("localhost/wh:1");

        assertThat(merged.resolve("data/a.txt")).doesNotExist();
        assertThat(merged.resolve("data/dir/b.txt")).doesNotExist();
        assertThat(merged.resolve("data/keep.txt")).hasContent("keep");
        assertThat(merged.resolve("data/dir/c.txt")).hasContent("c");
        assertThat(TreeWalk.of(merged)).isEqualTo(TreeWalk.of(umociUnpack(layout, "wh")));
    }

    @Test
    void mergedRichFixtureEqualsUmoci() throws Exception {
        Path layout = RichLayout.write(tmp.resolve("rich"), "rich");
        importLayout(layout, "rich", "localhost/rich:1");
        Path merged = engine.images().mount("localhost/rich:1");

        Map<String, TreeWalk.Node> ours = TreeWalk.of(merged);
        assertThat(ours.get("bin/tool").mode()).isEqualTo(04755);
        assertThat(ours.get("bin/ping").xattrs()).containsKey("security.capability");
        assertThat(ours.get("data/pipe").type()).isEqualTo("fifo");
        assertThat(ours.get("bin/tool-link").hardlinkGroup()).isEqualTo("bin/tool");
        assertThat(ours).doesNotContainKeys("data/old.txt", "data/dir/x.txt");
        assertThat(ours).isEqualTo(TreeWalk.of(umociUnpack(layout, "rich")));
    }

    @Test
    void mountIsIdempotentRefusesRmiAndUnmountRemovesTheMountPoint() throws Exception {
        Path layout = RichLayout.write(tmp.resolve("rich"), "rich");
        importLayout(layout, "rich", "localhost/rich:1");
        Path first = engine.images().mount("localhost/rich:1");
        assertThat(engine.images().mount("localhost/rich:1")).isEqualTo(first);
        String id = engine.images().inspect("localhost/rich:1").id();
        assertThat(first).isEqualTo(tmp.resolve("root/mounts").resolve(Digest.parse(id).hex()).toAbsolutePath());
        assertThat(Mounts.isMountPoint(first)).isTrue();
        assertThatThrownBy(() -> Files.writeString(first.resolve("new"), "x")).isInstanceOf(IOException.class);

        assertThatThrownBy(() -> engine.images().remove("localhost/rich:1", false))
                .isInstanceOf(ImageInUseException.class).hasMessageContaining("mounted");
        engine.images().unmount("localhost/rich:1");
        assertThat(first).doesNotExist();
        engine.images().unmount("localhost/rich:1"); // not mounted: nothing to do

        engine.images().mount("localhost/rich:1");
        assertThat(engine.images().remove("localhost/rich:1", true)).anyMatch(l -> l.startsWith("Deleted: "));
        assertThat(first).doesNotExist();
    }

    @Test
    void buildsFromScratchAndFromABaseAndTheMountShowsWhatWasPacked() throws Exception {
        Path app = tmp.resolve("app");
        Files.createDirectories(app.resolve("srv"));
        Files.writeString(app.resolve("srv/index.html"), "hello\n");
        Files.createSymbolicLink(app.resolve("srv/home.html"), Path.of("index.html"));
        Path more = tmp.resolve("more");
        Files.createDirectories(more.resolve("srv"));
        Files.writeString(more.resolve("srv/extra.txt"), "extra\n");

        ImageSummary base = engine.images().buildFromScratch().addLayer(app)
                .cmd(List.of("/bin/httpd")).env("A", "1").created(Instant.parse("2024-05-01T00:00:00Z"))
                .tag("localhost/site:base").build();
        assertThat(base.repoTags()).containsExactly("localhost/site:base");
        ImageSummary again = engine.images().buildFromScratch().addLayer(app)
                .cmd(List.of("/bin/httpd")).env("A", "1").created(Instant.parse("2024-05-01T00:00:00Z"))
                .tag("localhost/site:again").build();
        assertThat(again.id()).as("same input, same image ID").isEqualTo(base.id());

        ImageSummary built = engine.images().buildFrom("localhost/site:base").addLayer(more)
                .env("A", "2").env("B", "3").entrypoint(List.of("/bin/sh", "-c")).workingDir("/srv")
                .user("1000:1000").label("team", "web").exposePort("8080").volume("/data")
                .createdBy("COPY more /").tag("localhost/site:2").build();

        ImageDetails details = engine.images().inspect("localhost/site:2");
        assertThat(details.config().env()).containsExactly("A=2", "B=3");
        assertThat(details.config().entrypoint()).containsExactly("/bin/sh", "-c");
        assertThat(details.config().cmd()).as("ENTRYPOINT resets an inherited CMD").isNullOrEmpty();
        assertThat(details.config().workingDir()).isEqualTo("/srv");
        assertThat(details.config().user()).isEqualTo("1000:1000");
        assertThat(details.config().labels()).containsEntry("team", "web");
        assertThat(details.config().exposedPorts()).containsExactly("8080/tcp");
        assertThat(details.config().volumes()).containsExactly("/data");
        assertThat(details.layers()).hasSize(2);
        assertThat(engine.images().history("localhost/site:2").getFirst().createdBy()).isEqualTo("COPY more /");

        JsonNode manifest = new ObjectMapper().readTree(engine.store().read(Digest.parse(built.manifestDigest())));
        assertThat(manifest.path("mediaType").asText()).isEqualTo("application/vnd.oci.image.manifest.v1+json");
        JsonNode config = new ObjectMapper().readTree(engine.store().read(Digest.parse(built.id())));
        assertThat(config.path("rootfs").path("diff_ids")).hasSize(2);

        Path merged = engine.images().mount("localhost/site:2");
        assertThat(merged.resolve("srv/index.html")).hasContent("hello");
        assertThat(merged.resolve("srv/extra.txt")).hasContent("extra");
        assertThat(Files.readSymbolicLink(merged.resolve("srv/home.html"))).isEqualTo(Path.of("index.html"));
        assertThat(TreeWalk.of(merged).get("srv/index.html")).isEqualTo(TreeWalk.of(app).get("srv/index.html"));
    }

    @Test
    void buildNeedsATag() {
        assertThatThrownBy(() -> engine.images().buildFromScratch().build()).isInstanceOf(IllegalStateException.class);
    }

    /** Copies a layout's blobs into our store and names its image, as a pull would leave them. */
    private void importLayout(Path layout, String tag, String name) throws IOException {
        try (DirectoryStream<Path> blobs = Files.newDirectoryStream(layout.resolve("blobs/sha256"))) {
            for (Path blob : blobs) {
                engine.store().put(Files.readAllBytes(blob), Digest.parse("sha256:" + blob.getFileName()));
            }
        }
        JsonNode index = new ObjectMapper().readTree(layout.resolve("index.json").toFile());
        for (JsonNode entry : index.path("manifests")) {
            if (tag.equals(entry.path("annotations").path(Descriptor.ANNOTATION_REF_NAME).asText())) {
                Descriptor manifest = Descriptor.of(entry.path("mediaType").asText(),
                        Digest.parse(entry.path("digest").asText()), entry.path("size").asLong());
                engine.store().tag(name, manifest.withAnnotations(Map.of(Descriptor.ANNOTATION_REF_NAME, name)));
                return;
            }
        }
        throw new AssertionError("no " + tag + " in " + layout);
    }

    private Path umociUnpack(Path layout, String tag) throws Exception {
        return Umoci.unpack(layout, tag, tmp.resolve("umoci-" + tag));
    }
}
