package dev.jcontainers.core.volume;

import dev.jcontainers.api.Container;
import dev.jcontainers.api.EngineOptions;
import dev.jcontainers.api.MountSpec;
import dev.jcontainers.api.VolumeInUseException;
import dev.jcontainers.api.VolumeInfo;
import dev.jcontainers.core.LocalEngine;
import dev.jcontainers.linux.mount.MountInfo;
import dev.jcontainers.testkit.FixtureImage;
import dev.jcontainers.testkit.RegistryServer;
import dev.jcontainers.testkit.RegistryTest;
import dev.jcontainers.testkit.Requirements;
import dev.jcontainers.testkit.Skopeo;
import dev.jcontainers.testkit.TestImages;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Volumes in real containers, as root: what {@code docker run -v} and {@code docker volume} promise. */
@RegistryTest
class VolumeRunTest {
    static RegistryServer registry;
    static LocalEngine engine;
    static String busybox;
    /** busybox with {@code /data} holding files (one owned by 1234:1234, mode 640, a symlink) and {@code VOLUME /data}. */
    static final String WITH_DATA = "localhost/volumes/with-data:1";

    @TempDir
    static Path fixtures;

    @TempDir
    static Path root;

    @BeforeAll
    static void setUp() throws Exception {
        Requirements.requireRoot();
        Requirements.requireTool("skopeo");
        FixtureImage image = new TestImages(fixtures).multiLayer("volumes", 1);
        Skopeo.push(image, registry, "volumes/busybox:1");
        busybox = registry.host() + "/volumes/busybox:1";
        engine = new LocalEngine(EngineOptions.builder().root(root).dockerConfig(root.resolve("none.json")).build());
        engine.images().pull(busybox);

        Path layer = Files.createDirectories(fixtures.resolve("layer/data/sub"));
        Files.writeString(layer.resolve("hello.txt"), "from the image\n");
        Path secret = Files.writeString(layer.resolve("secret"), "s\n");
        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-r-----"));
        Files.setAttribute(secret, "unix:uid", 1234);
        Files.setAttribute(secret, "unix:gid", 1234);
        Files.createSymbolicLink(layer.getParent().resolve("greeting"), Path.of("sub/hello.txt"));
        engine.images().buildFrom(busybox).addLayer(fixtures.resolve("layer")).volume("/data").tag(WITH_DATA).build();
    }

    @AfterAll
    static void tearDown() {
        if (engine != null) {
            engine.close();
            assertThat(MountInfo.self()).noneMatch(m -> m.mountPoint().startsWith(root));
        }
    }

    private static String run(String image, List<MountSpec> mounts, String script) {
        var builder = engine.containers().builder().image(image).command("sh", "-c", script);
        mounts.forEach(builder::mount);
        try (Container c = builder.start()) {
            int code = c.waitFor(Duration.ofSeconds(20));
            assertThat(code).as("exit of %s: %s", script, c.logs().stderr()).isZero();
            return c.logs().stdout();
        }
    }

    @Test
    void aNamedVolumeOutlivesItsContainerAndIsSharedByOthers() {
        Container writer = engine.containers().builder().image(busybox).volume("shared", "/v")
                .command("sh", "-c", "echo written > /v/note").start();
        assertThat(writer.waitFor(Duration.ofSeconds(20))).isZero();
        writer.remove(false, true);

        assertThat(engine.volumes().inspect("shared").mountpoint().resolve("note")).hasContent("written");
        try (Container a = engine.containers().builder().image(busybox).volume("shared", "/v")
                .command("sleep", "30").start();
             Container b = engine.containers().builder().image(busybox).volume("shared", "/w")
                     .command("sleep", "30").start()) {
            assertThat(a.exec("sh", "-c", "echo from-a > /v/a").exitCode()).isZero();
            assertThat(b.exec("cat", "/w/note", "/w/a").stdout()).isEqualTo("written\nfrom-a\n");
        }
        assertThat(engine.volumes().list()).extracting(VolumeInfo::name).contains("shared");
    }

    @Test
    void aNewVolumeOverAnImageDirectoryStartsWithItsContent() throws Exception {
        String out = run(WITH_DATA, List.of(new MountSpec.Volume("populated", "/data", false)),
                "cat /data/sub/hello.txt; readlink /data/greeting; stat -c '%u:%g %a' /data/sub/secret");
        assertThat(out).isEqualTo("from the image\nsub/hello.txt\n1234:1234 640\n");

        Path data = engine.volumes().inspect("populated").mountpoint();
        assertThat(Files.getAttribute(data.resolve("sub/secret"), "unix:uid", LinkOption.NOFOLLOW_LINKS)).isEqualTo(1234);
        assertThat(Files.isSymbolicLink(data.resolve("greeting"))).isTrue();

        // once populated (and changed), a volume is the container's data: the image never overwrites it again
        run(WITH_DATA, List.of(new MountSpec.Volume("populated", "/data", false)),
                "rm /data/sub/hello.txt; echo mine > /data/mine");
        String second = run(WITH_DATA, List.of(new MountSpec.Volume("populated", "/data", false)), "ls /data /data/sub");
        assertThat(second).contains("mine").doesNotContain("hello.txt");
    }

    @Test
    void aNonEmptyVolumeIsNotPopulatedFromTheImage() throws Exception {
        Path data = engine.volumes().create("prefilled", Map.of("by", "host")).mountpoint();
        Files.writeString(data.resolve("own"), "own\n");
        String out = run(WITH_DATA, List.of(new MountSpec.Volume("prefilled", "/data", false)), "ls -A /data");
        assertThat(out).isEqualTo("own\n");
        assertThat(engine.volumes().inspect("prefilled").labels()).containsExactly(Map.entry("by", "host"));
    }

    @Test
    void aReadOnlyVolumeRefusesWrites() {
        try (Container c = engine.containers().builder().image(busybox)
                .mount(new MountSpec.Volume("readonly", "/v", true))
                .command("sh", "-c", "touch /v/x").start()) {
            assertThat(c.waitFor(Duration.ofSeconds(20))).isNotZero();
            assertThat(c.logs().stderr()).contains("Read-only file system");
        }
        assertThat(engine.volumes().inspect("readonly").mountpoint()).isEmptyDirectory();
    }

    @Test
    void removingAVolumeIsRefusedWhileAContainerReferencesIt() {
        Container created = engine.containers().builder().image(busybox).volume("busy", "/v").command("true").create();
        try {
            assertThatThrownBy(() -> engine.volumes().remove("busy", false)).isInstanceOf(VolumeInUseException.class)
                    .hasMessageContaining(created.id());
        } finally {
            created.remove(false);
        }
        engine.volumes().remove("busy", false);
        assertThat(engine.volumes().list()).extracting(VolumeInfo::name).doesNotContain("busy");
    }

    @Test
    void theImagesVolumeGetsAnAnonymousVolumeRemovedWithTheContainerOnlyWhenAsked() {
        Set<String> before = anonymousVolumes();
        Container kept = engine.containers().builder().image(WITH_DATA).command("cat", "/data/sub/hello.txt").start();
        assertThat(kept.waitFor(Duration.ofSeconds(20))).isZero();
        assertThat(kept.logs().stdout()).isEqualTo("from the image\n");
        Set<String> keptVolumes = difference(anonymousVolumes(), before);
        assertThat(keptVolumes).hasSize(1);
        kept.remove(true, false);
        assertThat(anonymousVolumes()).as("docker rm without -v keeps it").containsAll(keptVolumes);

        Container removed = engine.containers().builder().image(WITH_DATA)
                .mount(new MountSpec.Volume(null, "/scratch", false)).command("true").start();
        assertThat(removed.waitFor(Duration.ofSeconds(20))).isZero();
        Set<String> removedVolumes = difference(anonymousVolumes(), before);
        removedVolumes.removeAll(keptVolumes);
        assertThat(removedVolumes).as("one for the image's /data, one for /scratch").hasSize(2);
        removed.remove(true, true);
        assertThat(anonymousVolumes()).doesNotContainAnyElementsOf(removedVolumes).containsAll(keptVolumes);
        keptVolumes.forEach(v -> engine.volumes().remove(v, false));
    }

    @Test
    void pruneRemovesOnlyVolumesNoContainerReferences() {
        engine.volumes().create("prune-idle", Map.of());
        Container holder = engine.containers().builder().image(busybox).volume("prune-held", "/v").command("true").create();
        try {
            List<String> pruned = engine.volumes().prune();
            assertThat(pruned).contains("prune-idle").doesNotContain("prune-held");
            assertThat(engine.volumes().list()).extracting(VolumeInfo::name).contains("prune-held")
                    .doesNotContain("prune-idle");
        } finally {
            holder.remove(false);
        }
        assertThat(engine.volumes().prune()).contains("prune-held");
    }

    private static Set<String> anonymousVolumes() {
        return engine.volumes().list().stream().filter(VolumeInfo::anonymous).map(VolumeInfo::name)
                .collect(Collectors.toSet());
    }

    private static Set<String> difference(Set<String> a, Set<String> b) {
        Set<String> out = new java.util.HashSet<>(a);
        out.removeAll(b);
        return out;
    }
}
