package dev.jcontainers.core.image;

import dev.jcontainers.api.DigestMismatchException;
import dev.jcontainers.api.Engine;
import dev.jcontainers.api.ImageSummary;
import dev.jcontainers.api.MalformedContentException;
import dev.jcontainers.api.RateLimitedException;
import dev.jcontainers.api.UnsupportedMediaTypeException;
import dev.jcontainers.core.LocalEngine;
import dev.jcontainers.core.image.FaultProxy.Corrupt;
import dev.jcontainers.core.image.FaultProxy.DropAfter;
import dev.jcontainers.core.image.FaultProxy.PassThrough;
import dev.jcontainers.core.image.FaultProxy.Replace;
import dev.jcontainers.core.image.FaultProxy.Status;
import dev.jcontainers.oci.image.MediaTypes;
import dev.jcontainers.testkit.FixtureImage;
import dev.jcontainers.testkit.RegistryServer;
import dev.jcontainers.testkit.RegistryTest;
import dev.jcontainers.testkit.Requirements;
import dev.jcontainers.testkit.Skopeo;
import dev.jcontainers.testkit.TestImages;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The real registry behind a proxy that damages responses. Every failure must surface as its typed
 * error and leave the store exactly as it was before the pull; a dropped connection must resume.
 */
@RegistryTest
class BadRegistryTest {
    static RegistryServer registry;
    static FixtureImage base;
    static FixtureImage image;

    @TempDir
    static Path fixtures;

    @TempDir
    Path root;

    FaultProxy proxy;
    Engine engine;

    @BeforeAll
    static void pushFixtures() {
        Requirements.requireTool("skopeo");
        TestImages images = new TestImages(fixtures);
        base = images.singleLayer("base");
        Skopeo.push(base, registry, "bad/base:1");
        image = images.large("big", 4, 2);
        Skopeo.push(image, registry, "bad/big:1");
    }

    @BeforeEach
    void setUp() throws Exception {
        proxy = new FaultProxy(registry.host());
        engine = new LocalEngine(TestEngines.isolated(root).build());
        // An image already in the store, so that "unchanged" means something.
        engine.images().pull(ref("bad/base:1"));
    }

    @AfterEach
    void tearDown() {
        engine.close();
        proxy.close();
    }

    private String ref(String repoTag) {
        return proxy.host() + "/" + repoTag;
    }

    private String bigLayerPath() {
        return "/v2/bad/big/blobs/" + image.layerDigests().getLast();
    }

    @Test
    void aBlobWhoseBytesDoNotMatchItsDigestIsRejected() {
        Map<String, String> before = StoreSnapshot.of(root);
        proxy.faults(r -> r.method().equals("GET") && r.path().equals(bigLayerPath()) ? new Corrupt() : new PassThrough());
        assertThatThrownBy(() -> engine.images().pull(ref("bad/big:1")))
                .isInstanceOf(DigestMismatchException.class)
                .hasMessageContaining(image.layerDigests().getLast());
        assertThat(StoreSnapshot.of(root)).isEqualTo(before);
    }

    @Test
    void aDroppedConnectionResumesWithRangeAndSucceeds() {
        AtomicBoolean dropped = new AtomicBoolean();
        long cut = image.layers().getLast().size() / 3;
        proxy.faults(r -> r.method().equals("GET") && r.path().equals(bigLayerPath()) && dropped.compareAndSet(false, true)
                ? new DropAfter(cut) : new PassThrough());
        ImageSummary img = engine.images().pull(ref("bad/big:1"));
        assertThat(img.id()).isEqualTo(image.configDigest());
        assertThat(dropped).isTrue();
        assertThat(proxy.requests()).anySatisfy(r -> {
            assertThat(r.path()).isEqualTo(bigLayerPath());
            assertThat(r.range()).startsWith("bytes=").doesNotStartWith("bytes=0-");
        });
        assertThat(((LocalEngine) engine).store().verify().ok()).isTrue();
    }

    @Test
    void aMalformedManifestIsATypedErrorAndTheStoreIsUnchanged() {
        Map<String, String> before = StoreSnapshot.of(root);
        proxy.faults(r -> r.path().equals("/v2/bad/big/manifests/1")
                ? new Replace("{\"schemaVersion\":2,\"layers\":[".getBytes(StandardCharsets.UTF_8), MediaTypes.OCI_MANIFEST)
                : new PassThrough());
        assertThatThrownBy(() -> engine.images().pull(ref("bad/big:1"))).isInstanceOf(MalformedContentException.class);
        assertThat(StoreSnapshot.of(root)).isEqualTo(before);
    }

    @Test
    void aSchema1ManifestIsUnsupported() {
        Map<String, String> before = StoreSnapshot.of(root);
        byte[] schema1 = "{\"schemaVersion\":1,\"name\":\"bad/big\",\"tag\":\"1\",\"fsLayers\":[]}".getBytes(StandardCharsets.UTF_8);
        proxy.faults(r -> r.path().equals("/v2/bad/big/manifests/1")
                ? new Replace(schema1, MediaTypes.DOCKER_SCHEMA1_SIGNED) : new PassThrough());
        assertThatThrownBy(() -> engine.images().pull(ref("bad/big:1"))).isInstanceOf(UnsupportedMediaTypeException.class);
        assertThat(StoreSnapshot.of(root)).isEqualTo(before);
    }

    @Test
    void rateLimitingCarriesRetryAfter() {
        Map<String, String> before = StoreSnapshot.of(root);
        proxy.faults(r -> r.path().startsWith("/v2/bad/big/manifests/")
                ? new Status(429, Map.of("Retry-After", "7")) : new PassThrough());
        assertThatThrownBy(() -> engine.images().pull(ref("bad/big:1")))
                .isInstanceOfSatisfying(RateLimitedException.class,
                        e -> assertThat(e.retryAfter()).contains(Duration.ofSeconds(7)));
        assertThat(StoreSnapshot.of(root)).isEqualTo(before);
    }

    @Test
    void aFailureAfterSomeLayersArrivedRemovesExactlyThoseLayers() {
        Map<String, String> before = StoreSnapshot.of(root);
        proxy.faults(r -> r.path().equals(bigLayerPath()) ? new Status(500, Map.of()) : new PassThrough());
        assertThatThrownBy(() -> engine.images().pull(ref("bad/big:1")))
                .isInstanceOf(dev.jcontainers.api.RegistryException.class);
        assertThat(StoreSnapshot.of(root)).isEqualTo(before);
    }
}
