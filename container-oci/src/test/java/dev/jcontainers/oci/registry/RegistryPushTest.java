package dev.jcontainers.oci.registry;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jcontainers.oci.image.Descriptor;
import dev.jcontainers.oci.image.Digest;
import dev.jcontainers.testkit.BlobRef;
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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** Pushes fixture blobs straight from their OCI layout to the real Distribution registry; skopeo reads them back. */
@RegistryTest
class RegistryPushTest {
    static RegistryServer registry;
    static FixtureImage image;

    @TempDir
    static Path fixtures;

    @TempDir
    Path tmp;

    @BeforeAll
    static void fixtures() {
        Requirements.requireTool("skopeo");
        image = new TestImages(fixtures).multiLayer("push", 2);
    }

    private RegistryClient client(long chunkThreshold) {
        return RegistryClient.builder().dockerConfig(null).chunkedUploadThreshold(chunkThreshold)
                .uploadChunkBytes(64 << 10).build();
    }

    private static Path blobFile(BlobRef blob) {
        return image.layout().resolve("blobs/sha256/" + blob.hex());
    }

    private static Descriptor descriptor(BlobRef blob) {
        return Descriptor.of(blob.mediaType(), Digest.parse(blob.digest()), blob.size());
    }

    private List<BlobPushOutcome> pushImage(RegistryClient client, String repo, String mountFrom) throws Exception {
        List<BlobRef> blobs = new ArrayList<>(List.of(image.config()));
        blobs.addAll(image.layers());
        List<BlobPushOutcome> outcomes = new ArrayList<>();
        for (BlobRef blob : blobs) {
            outcomes.add(client.pushBlob(registry.host(), repo, descriptor(blob), blobFile(blob), mountFrom, null));
        }
        byte[] manifest = Files.readAllBytes(blobFile(image.manifest()));
        Digest pushed = client.putManifest(registry.host(), repo, "1", manifest, image.manifest().mediaType());
        assertThat(pushed.toString()).isEqualTo(image.manifestDigest());
        return outcomes;
    }

    @Test
    void monolithicPushIsReadBackBySkopeoAndASecondPushFindsEveryBlob() throws Exception {
        try (RegistryClient client = client(Long.MAX_VALUE)) {
            assertThat(client.blobExists(registry.host(), "push/mono", Digest.parse(image.configDigest()))).isFalse();
            assertThat(pushImage(client, "push/mono", null)).containsOnly(BlobPushOutcome.UPLOADED);
            assertThat(client.blobExists(registry.host(), "push/mono", Digest.parse(image.configDigest()))).isTrue();
            assertThat(pushImage(client, "push/mono", null)).containsOnly(BlobPushOutcome.ALREADY_EXISTS);
        }
        JsonNode inspected = Skopeo.inspect(registry, "push/mono:1");
        assertThat(inspected.get("Digest").asText()).isEqualTo(image.manifestDigest());
        assertThat(inspected.get("Layers")).hasSize(2);
    }

    @Test
    void chunkedUploadSendsLayersInPatchChunksAndSkopeoCopiesTheResult() throws Exception {
        BlobRef base = image.layers().getFirst();
        assertThat(base.size()).as("the base layer spans several 64 KiB chunks").isGreaterThan(3 * (64 << 10));
        AtomicLong reported = new AtomicLong();
        try (RegistryClient client = client(1)) {
            assertThat(client.pushBlob(registry.host(), "push/chunked", descriptor(base), blobFile(base), null,
                    (done, total, attempt, cause) -> reported.set(Math.max(reported.get(), done))))
                    .isEqualTo(BlobPushOutcome.UPLOADED);
            assertThat(reported.get()).isEqualTo(base.size());
            pushImage(client, "push/chunked", null);
        }
        Path copy = tmp.resolve("copy");
        Skopeo.pull(registry, "push/chunked:1", copy, "1");
        assertThat(Files.readAllBytes(copy.resolve("blobs/sha256/" + base.hex())))
                .isEqualTo(Files.readAllBytes(blobFile(base)));
    }

    @Test
    void aBlobInAnotherRepositoryIsMountedNotUploaded() throws Exception {
        try (RegistryClient client = client(Long.MAX_VALUE)) {
            pushImage(client, "push/source", null);
            assertThat(pushImage(client, "push/mounted", "push/source")).containsOnly(BlobPushOutcome.MOUNTED);
            // The registry declines a mount from a repository without the blob: the same session uploads it.
            assertThat(pushImage(client, "push/declined", "push/nothing-here")).containsOnly(BlobPushOutcome.UPLOADED);
        }
        assertThat(Skopeo.inspect(registry, "push/mounted:1").get("Digest").asText())
                .isEqualTo(image.manifestDigest());
        assertThat(Skopeo.inspect(registry, "push/declined:1").get("Digest").asText())
                .isEqualTo(image.manifestDigest());
    }
}
