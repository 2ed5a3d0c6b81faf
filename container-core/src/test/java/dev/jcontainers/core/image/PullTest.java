package dev.jcontainers.core.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jcontainers.api.Engine;
import dev.jcontainers.api.EngineOptions;
import dev.jcontainers.api.HistoryEntry;
import dev.jcontainers.api.ImageDetails;
import dev.jcontainers.api.ImageInUseException;
import dev.jcontainers.api.ImageNotFoundException;
import dev.jcontainers.api.ImageSummary;
import dev.jcontainers.api.LayerInfo;
import dev.jcontainers.api.Platform;
import dev.jcontainers.api.PruneResult;
import dev.jcontainers.api.PullListener;
import dev.jcontainers.api.PullOptions;
import dev.jcontainers.core.LocalEngine;
import dev.jcontainers.oci.image.MediaTypes;
import dev.jcontainers.testkit.FixtureImage;
import dev.jcontainers.testkit.FixtureIndex;
import dev.jcontainers.testkit.RegistryServer;
import dev.jcontainers.testkit.RegistryTest;
import dev.jcontainers.testkit.Requirements;
import dev.jcontainers.testkit.Skopeo;
import dev.jcontainers.testkit.TestImages;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Pulls from the real Distribution registry, fed by skopeo with busybox fixture images. */
@RegistryTest
class PullTest {
    static RegistryServer registry;
    static FixtureImage multi;
    static List<FixtureImage> shared;
    static FixtureIndex multiArch;
    static FixtureImage v2s2;

    @TempDir
    static Path fixtures;

    @TempDir
    Path root;

    @BeforeAll
    static void pushFixtures() {
        Requirements.requireTool("skopeo");
        TestImages images = new TestImages(fixtures);
        multi = images.multiLayer("multi", 3);
        Skopeo.push(multi, registry, "test/multi:1");
        shared = images.withSharedBase("a", "b");
        Skopeo.push(shared.get(0), registry, "shared/a:1");
        Skopeo.push(shared.get(1), registry, "shared/b:1");
        multiArch = images.multiPlatform("multiarch");
        Skopeo.push(multiArch, registry, "test/multiarch:1", Skopeo.allPlatforms());
        v2s2 = images.singleLayer("v2s2");
        Skopeo.push(v2s2, registry, "test/v2s2:1", Skopeo.dockerV2s2());
    }

    private Engine engine() {
        return new LocalEngine(EngineOptions.builder().root(root).dockerConfig(root.resolve("no-docker-config.json"))
                .build());
    }

    private String ref(String repoTag) {
        return registry.host() + "/" + repoTag;
    }

    @Test
    void pullsAMultiLayerImageIntoTheStore() throws Exception {
        try (Engine engine = engine()) {
            ImageSummary img = engine.images().pull(ref("test/multi:1"));
            assertThat(img.id()).isEqualTo(multi.configDigest());
            assertThat(img.manifestDigest()).isEqualTo(multi.manifestDigest());
            assertThat(img.repoTags()).containsExactly(ref("test/multi:1"));
            assertThat(img.size()).isEqualTo(multi.compressedSize() + multi.config().size());

            ImageDetails details = engine.images().inspect(ref("test/multi:1"));
            assertThat(details.layers()).extracting(LayerInfo::digest).containsExactlyElementsOf(multi.layerDigests());
            assertThat(details.layers()).extracting(LayerInfo::diffId).containsExactlyElementsOf(multi.diffIds());
            assertThat(details.platform()).isEqualTo(Platform.of("linux", "amd64"));
            assertThat(details.manifestMediaType()).isEqualTo(MediaTypes.OCI_MANIFEST);
            assertThat(engine.images().list()).extracting(ImageSummary::id).containsExactly(multi.configDigest());
            assertThat(((LocalEngine) engine).store().verify().ok()).isTrue();
        }
        // skopeo, an independent reader, finds the image in our store by its name.
        JsonNode inspected = skopeoInspectLayout(root, ref("test/multi:1"));
        assertThat(inspected.get("Digest").asText()).isEqualTo(multi.manifestDigest());
        assertThat(inspected.get("Layers")).hasSize(3);
    }

    @Test
    void aLayerSharedByTwoImagesIsStoredOnceAndNotDownloadedTwice() {
        try (Engine engine = engine()) {
            engine.images().pull(ref("shared/a:1"));
            Map<String, Boolean> cached = new ConcurrentHashMap<>();
            engine.images().pull(ref("shared/b:1"), PullOptions.defaults().withListener(new PullListener() {
                @Override
                public void blobDone(String digest, long size, boolean alreadyPresent) {
                    cached.put(digest, alreadyPresent);
                }
            }));
            String base = shared.get(0).layerDigests().getFirst();
            assertThat(shared.get(1).layerDigests().getFirst()).isEqualTo(base);
            assertThat(cached).containsEntry(base, true);
            assertThat(cached).containsEntry(shared.get(1).layerDigests().get(1), false);
            // 2 manifests + 2 configs + base + 2 app layers
            assertThat(StoreSnapshot.blobCount(root)).isEqualTo(7);
        }
    }

    @Test
    void anIndexResolvesToTheHostPlatformOrTheOneAskedFor() {
        try (Engine engine = engine()) {
            ImageSummary host = engine.images().pull(ref("test/multiarch:1"));
            assertThat(host.manifestDigest()).isEqualTo(multiArch.platform("amd64").manifestDigest());
            assertThat(host.repoDigests()).containsExactly(ref("test/multiarch") + "@" + multiArch.indexDigest());

            ImageSummary arm = engine.images().pull(ref("test/multiarch:1"),
                    PullOptions.defaults().withPlatform(Platform.parse("linux/arm64")));
            assertThat(arm.manifestDigest()).isEqualTo(multiArch.platform("arm64").manifestDigest());
            assertThat(arm.platform().architecture()).isEqualTo("arm64");
            // The tag moved to the arm64 image; the amd64 one stays, dangling, until pruned.
            assertThat(engine.images().list()).hasSize(2);
            PruneResult pruned = engine.images().prune();
            assertThat(pruned.removedImages()).containsExactly(host.id());
            assertThat(engine.images().list()).extracting(ImageSummary::id).containsExactly(arm.id());
        }
    }

    @Test
    void pullsADockerSchema2Image() {
        try (Engine engine = engine()) {
            engine.images().pull(ref("test/v2s2:1"));
            ImageDetails d = engine.images().inspect(ref("test/v2s2:1"));
            assertThat(d.manifestMediaType()).isEqualTo(MediaTypes.DOCKER_MANIFEST);
            assertThat(d.layers()).allSatisfy(l -> assertThat(l.mediaType()).isEqualTo(MediaTypes.DOCKER_LAYER_GZIP));
        }
    }

    @Test
    void pullsByDigest() {
        try (Engine engine = engine()) {
            String byDigest = ref("test/multi") + "@" + multi.manifestDigest();
            ImageSummary img = engine.images().pull(byDigest);
            assertThat(img.repoTags()).isEmpty();
            assertThat(img.repoDigests()).contains(byDigest);
            assertThat(engine.images().inspect(byDigest).id()).isEqualTo(multi.configDigest());
        }
    }

    @Test
    void aMissingTagIsImageNotFoundAndTheStoreIsUnchanged() {
        try (Engine engine = engine()) {
            engine.images().pull(ref("test/multi:1"));
            Map<String, String> before = StoreSnapshot.of(root);
            assertThatThrownBy(() -> engine.images().pull(ref("test/multi:nope")))
                    .isInstanceOf(ImageNotFoundException.class).hasMessageContaining("nope");
            assertThatThrownBy(() -> engine.images().pull(ref("test/absent:1")))
                    .isInstanceOf(ImageNotFoundException.class);
            assertThat(StoreSnapshot.of(root)).isEqualTo(before);
        }
    }

    @Test
    void concurrentPullsOfOneImageEndWithOneCorrectCopy() throws Exception {
        try (Engine engine = engine(); ExecutorService pool = Executors.newFixedThreadPool(4)) {
            List<Future<ImageSummary>> pulls = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                pulls.add(pool.submit(() -> engine.images().pull(ref("test/multi:1"))));
            }
            for (Future<ImageSummary> f : pulls) {
                assertThat(f.get().id()).isEqualTo(multi.configDigest());
            }
            assertThat(((LocalEngine) engine).store().verify().ok()).isTrue();
            assertThat(StoreSnapshot.blobCount(root)).isEqualTo(1 + 1 + 3);
            assertThat(engine.images().list()).hasSize(1);
        }
    }

    @Test
    void tagHistoryRemoveAndPrune() {
        try (Engine engine = engine()) {
            ImageSummary img = engine.images().pull(ref("test/multi:1"));
            engine.images().tag(ref("test/multi:1"), "local/copy:v2");
            assertThat(engine.images().inspect("local/copy:v2").id()).isEqualTo(img.id());
            assertThat(engine.images().inspect(img.shortId()).repoTags())
                    .containsExactlyInAnyOrder(ref("test/multi:1"), "docker.io/local/copy:v2");

            List<HistoryEntry> history = engine.images().history("local/copy:v2");
            assertThat(history).filteredOn(h -> !h.emptyLayer()).hasSize(3);
            assertThat(history.stream().filter(h -> !h.emptyLayer()).findFirst().orElseThrow().createdBy())
                    .contains("layer-2");
            assertThat(history.getLast().layerDigest()).isEqualTo(multi.layerDigests().getFirst());

            assertThatThrownBy(() -> engine.images().remove(img.shortId(), false))
                    .isInstanceOf(ImageInUseException.class).hasMessageContaining("multiple repositories");
            assertThat(engine.images().remove("local/copy:v2", false)).containsExactly("Untagged: local/copy:v2");
            List<String> removed = engine.images().remove(ref("test/multi:1"), false);
            assertThat(removed).contains("Untagged: " + ref("test/multi:1"), "Deleted: " + img.id());
            assertThat(engine.images().list()).isEmpty();
            assertThat(StoreSnapshot.blobCount(root)).isZero();
            assertThatThrownBy(() -> engine.images().inspect(img.id())).isInstanceOf(ImageNotFoundException.class);
        }
    }

    @Test
    void layersAreUnpackedOnceByChainIdAndRemovedWithTheImage() throws Exception {
        try (LocalEngine engine = (LocalEngine) engine()) {
            RunnableImage run = engine.imageService().prepareForRun(ref("test/multi:1"), PullOptions.defaults());
            assertThat(run.id()).isEqualTo(multi.configDigest());
            assertThat(run.layerDirs()).hasSize(3);
            assertThat(run.layerDirs().getFirst().getFileName().toString())
                    .isEqualTo(multi.diffIds().getFirst().substring(7));
            assertThat(run.layerDirs().get(0).resolve("bin/busybox")).isRegularFile();
            assertThat(java.nio.file.Files.readString(run.layerDirs().get(2).resolve("data/layer-2.txt"))).isEqualTo("layer 2\n");
            var inode = java.nio.file.Files.getAttribute(run.layerDirs().get(1), "unix:ino");
            RunnableImage again = engine.imageService().prepareForRun(multi.configDigest().substring(7, 19), PullOptions.defaults());
            assertThat(again.layerDirs()).isEqualTo(run.layerDirs());
            assertThat(java.nio.file.Files.getAttribute(again.layerDirs().get(1), "unix:ino")).isEqualTo(inode);
            engine.images().remove(ref("test/multi:1"), false);
            assertThat(run.layerDirs()).allSatisfy(d -> assertThat(d).doesNotExist());
        }
    }

    @Test
    void runningAnImageThatIsNotHerePullsItFirst() {
        try (LocalEngine engine = (LocalEngine) engine()) {
            RunnableImage run = engine.imageService().prepareForRun(ref("shared/a:1"), PullOptions.defaults());
            assertThat(run.id()).isEqualTo(shared.get(0).configDigest());
            assertThat(engine.images().list()).hasSize(1);
        }
    }

    @Test
    void aSecondEngineOnTheSameRootSeesThePulledImage() {
        try (Engine first = engine()) {
            first.images().pull(ref("test/multi:1"));
        }
        try (Engine second = engine()) {
            assertThat(second.images().list()).extracting(ImageSummary::id).containsExactly(multi.configDigest());
        }
    }

    static JsonNode skopeoInspectLayout(Path root, String name) throws Exception {
        Process p = new ProcessBuilder("skopeo", "inspect", "oci:" + root + ":" + name)
                .redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        assertThat(p.waitFor()).as(new String(out)).isZero();
        return new ObjectMapper().readTree(out);
    }
}
