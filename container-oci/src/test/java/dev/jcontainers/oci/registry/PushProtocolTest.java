package dev.jcontainers.oci.registry;

import dev.jcontainers.api.DigestMismatchException;
import dev.jcontainers.api.RegistryException;
import dev.jcontainers.oci.image.Descriptor;
import dev.jcontainers.oci.image.Digest;
import dev.jcontainers.oci.image.MediaTypes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Upload protocol details a real registry does not show on demand: relative Locations, failures mid-upload. */
@Timeout(20)
class PushProtocolTest {
    private static final String REPO = "team/app";
    private static final String UPLOADS = "/v2/" + REPO + "/blobs/uploads/";
    private static final byte[] LAYER = new byte[300_000];

    static {
        new Random(7).nextBytes(LAYER);
    }

    @TempDir
    Path tmp;

    private FakeRegistry fake;
    private Path layerFile;
    private final Descriptor layer = Descriptor.of(MediaTypes.OCI_LAYER_GZIP, Digest.sha256(LAYER), LAYER.length);

    @BeforeEach
    void start() throws IOException {
        fake = new FakeRegistry();
        layerFile = Files.write(tmp.resolve("layer"), LAYER);
    }

    @AfterEach
    void stop() {
        fake.close();
    }

    private RegistryClient client(long chunkThreshold) {
        return RegistryClient.builder().tlsProbeTimeout(Duration.ofMillis(50)).dockerConfig(null).initialBackoff(Duration.ofMillis(1)).maxAttempts(3)
                .chunkedUploadThreshold(chunkThreshold).uploadChunkBytes(100_000).build();
    }

    @Test
    void aFailedUploadStartsOverInANewSessionAndRelativeLocationsAreResolved() {
        AtomicInteger sessions = new AtomicInteger();
        fake.on("POST", UPLOADS, ex -> {
            ex.getResponseHeaders().set("Location", UPLOADS + "s" + sessions.incrementAndGet() + "?_state=abc");
            FakeRegistry.respond(ex, 202, "text/plain", "");
        });
        fake.on("PUT", UPLOADS + "s1", ex -> FakeRegistry.respond(ex, 503, "text/plain", "busy"));
        List<byte[]> bodies = new CopyOnWriteArrayList<>();
        fake.on("PUT", UPLOADS + "s2", ex -> {
            bodies.add(ex.getRequestBody().readAllBytes());
            FakeRegistry.respond(ex, 201, "text/plain", "");
        });
        List<Integer> retries = new CopyOnWriteArrayList<>();
        try (RegistryClient client = client(Long.MAX_VALUE)) {
            BlobPushOutcome outcome = client.pushBlob(fake.registry(), REPO, layer, layerFile, null,
                    (done, total, attempt, cause) -> {
                        if (cause != null) {
                            retries.add(attempt);
                        }
                    });
            assertThat(outcome).isEqualTo(BlobPushOutcome.UPLOADED);
        }
        assertThat(sessions).hasValue(2);
        assertThat(retries).containsExactly(2);
        assertThat(bodies).singleElement().isEqualTo(LAYER);
        assertThat(fake.requests(UPLOADS + "s2").getFirst().query()).isEqualTo("_state=abc&digest=" + layer.digest());
    }

    @Test
    void chunksCarryContentRangesAndFollowEachNewLocation() {
        fake.on("POST", UPLOADS, ex -> {
            ex.getResponseHeaders().set("Location", "http://" + fake.registry() + UPLOADS + "c0");
            FakeRegistry.respond(ex, 202, "text/plain", "");
        });
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        List<String> ranges = new CopyOnWriteArrayList<>();
        for (int i = 0; i < 3; i++) {
            String next = "c" + (i + 1); // relative to the chunk's own URL
            fake.on("PATCH", UPLOADS + "c" + i, ex -> {
                ranges.add(ex.getRequestHeaders().getFirst("Content-Range"));
                received.writeBytes(ex.getRequestBody().readAllBytes());
                ex.getResponseHeaders().set("Location", next);
                FakeRegistry.respond(ex, 202, "text/plain", "");
            });
        }
        fake.on("PUT", UPLOADS + "c3", ex -> FakeRegistry.respond(ex, 201, "text/plain", ""));
        try (RegistryClient client = client(1)) {
            assertThat(client.pushBlob(fake.registry(), REPO, layer, layerFile, null, null))
                    .isEqualTo(BlobPushOutcome.UPLOADED);
        }
        assertThat(ranges).containsExactly("0-99999", "100000-199999", "200000-299999");
        assertThat(received.toByteArray()).isEqualTo(LAYER);
        assertThat(fake.requests(UPLOADS + "c3").getFirst().query()).isEqualTo("digest=" + layer.digest());
    }

    @Test
    void uploadsThatKeepFailingEndInARegistryException() {
        fake.on("POST", UPLOADS, ex -> FakeRegistry.respond(ex, 502, "text/plain", "bad gateway"));
        try (RegistryClient client = client(Long.MAX_VALUE)) {
            assertThatThrownBy(() -> client.pushBlob(fake.registry(), REPO, layer, layerFile, null, null))
                    .isInstanceOf(RegistryException.class).hasMessageContaining("after 3 attempts");
        }
        assertThat(fake.requests(UPLOADS)).hasSize(3);
    }

    @Test
    void aManifestDigestOtherThanOursIsRejected() {
        byte[] manifest = "{\"schemaVersion\":2}".getBytes(StandardCharsets.UTF_8);
        fake.on("PUT", "/v2/" + REPO + "/manifests/1", ex -> {
            ex.getResponseHeaders().set("Docker-Content-Digest", Digest.sha256(new byte[1]).toString());
            FakeRegistry.respond(ex, 201, "text/plain", "");
        });
        try (RegistryClient client = client(Long.MAX_VALUE)) {
            assertThatThrownBy(() -> client.putManifest(fake.registry(), REPO, "1", manifest, MediaTypes.OCI_MANIFEST))
                    .isInstanceOf(DigestMismatchException.class);
        }
    }
}
