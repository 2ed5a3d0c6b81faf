package dev.jcontainers.cli;

import dev.jcontainers.testkit.FixtureImage;
import dev.jcontainers.testkit.RegistryServer;
import dev.jcontainers.testkit.RegistryTest;
import dev.jcontainers.testkit.Requirements;
import dev.jcontainers.testkit.Skopeo;
import dev.jcontainers.testkit.TestImages;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code jc push}, {@code jc save}, {@code jc load} end to end through {@link Jc#run}. */
@RegistryTest
class PushSaveLoadCommandTest {
    static RegistryServer registry;
    static FixtureImage image;

    @TempDir
    static Path fixtures;

    @TempDir
    Path work;


    @BeforeAll
    static void fixture() {
        Requirements.requireTool("skopeo");
        image = new TestImages(fixtures).multiLayer("app", 2);
        Skopeo.push(image, registry, "src/app:1");
    }

    private CliResult jc(Path root, String... args) {
        return CliResult.run(root, args);
    }

    @Test
    void pushPrintsWhatHappenedToEachLayerAndTheDigest() {
        Path root = work.resolve("root");
        String src = registry.host() + "/src/app:1";
        String dst = registry.host() + "/dst/app:2";
        assertThat(jc(root, "pull", "-q", src).code()).isZero();

        CliResult again = jc(root, "push", src);
        assertThat(again.code()).as(again.err()).isZero();
        assertThat(again.out()).contains("The push refers to repository [" + registry.host() + "/src/app]")
                .contains(": Layer already exists")
                .contains("1: digest: " + image.manifestDigest() + " size: " + image.manifest().size());

        assertThat(jc(root, "tag", src, dst).code()).isZero();
        CliResult mounted = jc(root, "image", "push", dst);
        assertThat(mounted.code()).as(mounted.err()).isZero();
        assertThat(mounted.out()).contains(": Mounted from src/app").contains("2: digest: " + image.manifestDigest());
        assertThat(registry.tags("dst/app")).containsExactly("2");

        assertThat(jc(root, "tag", src, registry.host() + "/src/app:extra").code()).isZero();
        CliResult all = jc(root, "push", "--all-tags", registry.host() + "/src/app");
        assertThat(all.code()).as(all.err()).isZero();
        assertThat(all.out()).contains("1: digest: " + image.manifestDigest())
                .contains("extra: digest: " + image.manifestDigest()).doesNotContain("2: digest");
        assertThat(registry.tags("src/app")).containsExactlyInAnyOrder("1", "extra");
        assertThat(jc(root, "push", "-a", src).code()).isEqualTo(1);
    }

    @Test
    void saveThenLoadIntoAnotherRoot() throws Exception {
        Path root = work.resolve("root");
        String src = registry.host() + "/src/app:1";
        assertThat(jc(root, "pull", "-q", src).code()).isZero();
        Path archive = work.resolve("app.tar");
        CliResult saved = jc(root, "save", "-o", archive.toString(), src);
        assertThat(saved.code()).as(saved.err()).isZero();
        assertThat(Files.size(archive)).isGreaterThan(image.compressedSize());

        CliResult loaded = jc(work.resolve("other"), "load", "-i", archive.toString());
        assertThat(loaded.code()).as(loaded.err()).isZero();
        assertThat(loaded.out().strip()).isEqualTo("Loaded image: " + src);
        CliResult images = jc(work.resolve("other"), "images");
        assertThat(images.out()).contains(registry.host() + "/src/app");
    }

    @Test
    void loadingSomethingThatIsNoArchiveFailsWithAnError() throws Exception {
        Path junk = Files.writeString(work.resolve("junk.tar"), "not a tar at all");
        CliResult r = jc(work.resolve("root"), "load", "-i", junk.toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).startsWith("Error: ");
    }
}
