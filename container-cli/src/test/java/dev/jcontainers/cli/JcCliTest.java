package dev.jcontainers.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jcontainers.testkit.FixtureImage;
import dev.jcontainers.testkit.RegistryServer;
import dev.jcontainers.testkit.RegistryTest;
import dev.jcontainers.testkit.Requirements;
import dev.jcontainers.testkit.Skopeo;
import dev.jcontainers.testkit.TestImages;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The jc verbs end to end, against the real registry, as a user types them. */
@RegistryTest
class JcCliTest {
    static RegistryServer registry;
    static FixtureImage image;

    @TempDir
    static Path fixtures;

    @TempDir
    Path root;


    @BeforeAll
    static void push() {
        Requirements.requireTool("skopeo");
        image = new TestImages(fixtures).multiLayer("cli", 2);
        Skopeo.push(image, registry, "cli/busybox:1.36");
    }

    CliResult jc(String... args) {
        return CliResult.run(root, args);
    }

    String ref() {
        return registry.host() + "/cli/busybox:1.36";
    }

    @Test
    void pullThenListInspectHistoryTagAndRemove() throws Exception {
        CliResult pull = jc("pull", ref());
        assertThat(pull.code()).as(pull.err()).isZero();
        assertThat(pull.out()).contains("Pull complete", "Digest: " + image.manifestDigest(), ref());

        CliResult images = jc("images");
        assertThat(images.out()).startsWith("REPOSITORY");
        String hex = image.configDigest().substring(7, 19);
        assertThat(images.out()).containsPattern(registry.host() + "/cli/busybox\\s+1\\.36\\s+" + hex);
        assertThat(jc("images", "-q").out().strip()).isEqualTo(hex);
        assertThat(jc("image", "ls", "--digests").out()).contains(image.manifestDigest());

        JsonNode inspect = new ObjectMapper().readTree(jc("image", "inspect", ref()).out());
        assertThat(inspect.get(0).get("Id").asText()).isEqualTo(image.configDigest());
        assertThat(inspect.get(0).get("RootFS").get("Layers")).hasSize(2);

        CliResult history = jc("history", ref());
        assertThat(history.out()).startsWith("IMAGE").contains(hex, "<missing>", "layer-1");

        assertThat(jc("tag", ref(), "mine:v1").code()).isZero();
        assertThat(jc("images", "mine").out()).containsPattern("mine\\s+v1\\s+" + hex);
        CliResult conflict = jc("rmi", hex);
        assertThat(conflict.code()).isEqualTo(1);
        assertThat(conflict.err()).contains("must be forced");
        assertThat(jc("rmi", "mine:v1").out()).contains("Untagged: mine:v1");
        CliResult rmi = jc("rmi", ref());
        assertThat(rmi.out()).contains("Untagged: " + ref(), "Deleted: " + image.configDigest());
        assertThat(jc("images", "-q").out()).isBlank();
    }

    @Test
    void errorsAreOneLineWithDockerExitCodes() {
        CliResult missing = jc("image", "inspect", "nothing-here:1");
        assertThat(missing.code()).isEqualTo(1);
        assertThat(missing.err()).contains("Error: No such image: nothing-here:1");
        CliResult badRef = jc("pull", registry.host() + "/cli/UPPER:1");
        assertThat(badRef.code()).isEqualTo(1);
        assertThat(badRef.err()).startsWith("Error: invalid image reference");
        CliResult usage = jc("pull");
        assertThat(usage.code()).isEqualTo(2);
        CliResult unknownTag = jc("pull", registry.host() + "/cli/busybox:nope");
        assertThat(unknownTag.code()).isEqualTo(1);
        assertThat(unknownTag.err()).contains("nope");
    }

    @Test
    void pruneRemovesDanglingImages() {
        assertThat(jc("pull", "-q", ref()).code()).isZero();
        assertThat(jc("image", "prune").out()).contains("Total reclaimed space: 0B");
        assertThat(jc("rmi", ref()).code()).isZero();
        assertThat(jc("image", "prune").code()).isZero();
    }

    @Test
    void buildFromDirThenMountShowsTheTreeAndUnmountRemovesIt(@TempDir Path dir) throws Exception {
        Requirements.requireRoot();
        assertThat(jc("pull", "-q", ref()).code()).isZero();
        java.nio.file.Files.createDirectories(dir.resolve("app"));
        java.nio.file.Files.writeString(dir.resolve("app/hello.txt"), "hello\n");
        try {
            CliResult build = jc("image", "build-from-dir", "--from", ref(), "-t", "app:1", "-e", "MODE=test",
                    "--cmd", "[\"/bin/sh\", \"-c\", \"cat /app/hello.txt\"]", "--expose", "8080", dir.toString());
            assertThat(build.code()).as(build.err()).isZero();
            assertThat(build.out().strip()).startsWith("sha256:");
            JsonNode config = new ObjectMapper().readTree(jc("image", "inspect", "app:1").out()).get(0).get("Config");
            assertThat(config.get("Cmd").toString()).isEqualTo("[\"/bin/sh\",\"-c\",\"cat /app/hello.txt\"]");
            assertThat(config.get("Env").toString()).contains("MODE=test");

            CliResult mount = jc("image", "mount", "app:1");
            assertThat(mount.code()).as(mount.err()).isZero();
            java.nio.file.Path merged = java.nio.file.Path.of(mount.out().strip());
            assertThat(merged.resolve("app/hello.txt")).hasContent("hello");
            assertThat(merged.resolve("data/layer-1.txt")).hasContent("layer 1");
            CliResult rmi = jc("rmi", "app:1");
            assertThat(rmi.code()).isEqualTo(1);
            assertThat(rmi.err()).contains("mounted");
            assertThat(jc("image", "unmount", "app:1").code()).isZero();
            assertThat(merged).doesNotExist();
            assertThat(jc("rmi", "app:1").code()).isZero();
        } finally {
            jc("image", "unmount", "app:1");
        }
    }
}
