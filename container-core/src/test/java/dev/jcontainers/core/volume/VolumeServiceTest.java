package dev.jcontainers.core.volume;

import dev.jcontainers.api.ContainerException;
import dev.jcontainers.api.MountSpec;
import dev.jcontainers.api.VolumeInUseException;
import dev.jcontainers.api.VolumeInfo;
import dev.jcontainers.api.VolumeNotFoundException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The volume store on disk, without containers: no root needed. */
class VolumeServiceTest {
    @TempDir
    Path root;

    @Test
    void createIsIdempotentAndLaysOutTheVolumeAsDockersLocalDriver() throws Exception {
        VolumeService volumes = new VolumeService(root);
        VolumeInfo first = volumes.create("data", Map.of("team", "web"));
        assertThat(first.mountpoint()).isEqualTo(root.resolve("volumes/data/_data"));
        assertThat(first.driver()).isEqualTo("local");
        assertThat(first.labels()).containsExactly(Map.entry("team", "web"));
        assertThat(root.resolve("volumes/data/volume.json")).isRegularFile();
        Files.writeString(first.mountpoint().resolve("f"), "kept");

        VolumeInfo again = volumes.create("data", Map.of("other", "labels"));
        assertThat(again).isEqualTo(first);
        assertThat(first.mountpoint().resolve("f")).hasContent("kept");
        assertThat(new VolumeService(root).inspect("data")).as("another engine on the root").isEqualTo(first);
        assertThat(volumes.list()).extracting(VolumeInfo::name).containsExactly("data");
    }

    @Test
    void namesFollowDockersRuleAndNullMakesARandomOne() {
        VolumeService volumes = new VolumeService(root);
        for (String bad : List.of("a", "-x", "a/b", "..", "a b", "_x")) {
            assertThatThrownBy(() -> volumes.create(bad, Map.of())).as(bad).isInstanceOf(ContainerException.class)
                    .hasMessageContaining("invalid characters");
        }
        assertThat(volumes.create(null, Map.of()).name()).matches("[0-9a-f]{64}");
        assertThat(volumes.create("a.b_c-1", Map.of()).name()).isEqualTo("a.b_c-1");
    }

    @Test
    void removeIsRefusedWhileAContainerReferencesTheVolumeUnlessForced() throws Exception {
        VolumeService volumes = new VolumeService(root);
        volumes.create("busy", Map.of());
        Path container = Files.createDirectories(root.resolve("containers/abc123"));
        new VolumeUse(List.of("busy"), List.of()).write(container);

        assertThatThrownBy(() -> volumes.remove("busy", false)).isInstanceOf(VolumeInUseException.class)
                .hasMessageContaining("abc123");
        volumes.remove("busy", true);
        assertThat(root.resolve("volumes/busy")).doesNotExist();
        assertThatThrownBy(() -> volumes.inspect("busy")).isInstanceOf(VolumeNotFoundException.class);
        assertThatThrownBy(() -> volumes.remove("busy", false)).isInstanceOf(VolumeNotFoundException.class);
        volumes.remove("busy", true);
    }

    @Test
    void pruneRemovesOnlyUnreferencedVolumes() throws Exception {
        VolumeService volumes = new VolumeService(root);
        volumes.create("idle", Map.of());
        volumes.create("used", Map.of());
        new VolumeUse(List.of("used"), List.of()).write(Files.createDirectories(root.resolve("containers/def456")));

        assertThat(volumes.prune()).containsExactly("idle");
        assertThat(volumes.list()).extracting(VolumeInfo::name).containsExactly("used");
    }

    @Test
    void attachResolvesVolumesToBindsAndAddsAnonymousOnesForImageVolumesNotCovered() throws Exception {
        VolumeService volumes = new VolumeService(root);
        Path rootfs = Files.createDirectories(root.resolve("rootfs"));
        Files.createDirectories(rootfs.resolve("data/sub"));
        Files.writeString(rootfs.resolve("data/sub/f"), "from image");
        Files.createSymbolicLink(rootfs.resolve("data/link"), Path.of("sub/f"));
        Path container = Files.createDirectories(root.resolve("containers/0a0a"));

        List<MountSpec> mounts = volumes.attach(container, rootfs,
                List.of(new MountSpec.Volume("named", "/srv", true), new MountSpec.Bind("/tmp", "/cache/", false)),
                List.of("/data", "/cache"));

        VolumeUse use = VolumeUse.read(container);
        assertThat(use.volumes()).hasSize(2).startsWith("named");
        assertThat(use.anonymous()).hasSize(1).allMatch(n -> n.matches("[0-9a-f]{64}"));
        String anonymous = use.anonymous().getFirst();
        assertThat(mounts).containsExactly(
                new MountSpec.Bind(root.resolve("volumes/named/_data").toString(), "/srv", true),
                new MountSpec.Bind("/tmp", "/cache/", false),
                new MountSpec.Bind(root.resolve("volumes/" + anonymous + "/_data").toString(), "/data", false));
        assertThat(volumes.inspect(anonymous).anonymous()).isTrue();
        assertThat(volumes.inspect("named").anonymous()).isFalse();
        Path data = volumes.inspect(anonymous).mountpoint();
        assertThat(data.resolve("sub/f")).hasContent("from image");
        assertThat(Files.readSymbolicLink(data.resolve("link"))).isEqualTo(Path.of("sub/f"));

        volumes.removeAnonymous(use);
        assertThat(volumes.list()).extracting(VolumeInfo::name).as("still referenced by the container dir")
                .contains(anonymous);
        Files.delete(container.resolve("volumes.json"));
        volumes.removeAnonymous(use);
        assertThat(volumes.list()).extracting(VolumeInfo::name).containsExactly("named");
    }

    @Test
    void targetsResolveInsideTheRootfsEvenThroughAbsoluteAndDotDotLinks() throws Exception {
        Path rootfs = Files.createDirectories(root.resolve("rootfs"));
        Files.createDirectories(rootfs.resolve("real/data"));
        Files.createSymbolicLink(rootfs.resolve("abs"), Path.of("/real"));
        Files.createSymbolicLink(rootfs.resolve("up"), Path.of("../../../real"));
        Files.createSymbolicLink(rootfs.resolve("loop"), Path.of("loop"));

        assertThat(CopyUp.resolveInScope(rootfs, "/abs/data")).contains(rootfs.resolve("real/data"));
        assertThat(CopyUp.resolveInScope(rootfs, "/up/data")).contains(rootfs.resolve("real/data"));
        assertThat(CopyUp.resolveInScope(rootfs, "/../../real/./data/")).contains(rootfs.resolve("real/data"));
        assertThat(CopyUp.resolveInScope(rootfs, "/missing")).isEmpty();
        assertThat(CopyUp.resolveInScope(rootfs, "/loop/x")).isEmpty();
    }
}
