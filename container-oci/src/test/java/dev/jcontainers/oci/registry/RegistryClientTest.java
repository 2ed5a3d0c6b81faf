package dev.jcontainers.oci.registry;

import com.sun.net.httpserver.HttpExchange;
import dev.jcontainers.api.Credentials;
import dev.jcontainers.api.DigestMismatchException;
import dev.jcontainers.api.ImageNotFoundException;
import dev.jcontainers.api.MalformedContentException;
import dev.jcontainers.api.RateLimitedException;
import dev.jcontainers.api.RegistryAuthException;
import dev.jcontainers.api.RegistryException;
import dev.jcontainers.api.StorageException;
import dev.jcontainers.api.UnsupportedMediaTypeException;
import dev.jcontainers.oci.image.Descriptor;
import dev.jcontainers.oci.image.Digest;
import dev.jcontainers.oci.image.ImageManifest;
import dev.jcontainers.oci.image.MediaTypes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Timeout(20)
class RegistryClientTest {
    private static final String REPO = "library/busybox";
    private static final byte[] CONFIG = ("{\"architecture\":\"amd64\",\"os\":\"linux\","
            + "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]}}").getBytes(StandardCharsets.UTF_8);
    private static final byte[] LAYER = randomBytes(1_500_000);

    @TempDir
    Path tmp;

    private FakeRegistry fake;
    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));

    @BeforeEach
    void start() throws IOException {
        fake = new FakeRegistry();
    }

    @AfterEach
    void stop() {
        fake.close();
    }

    private RegistryClient.Builder client() {
        return RegistryClient.builder().tlsProbeTimeout(Duration.ofMillis(50))
                .dockerConfig(tmp.resolve("no-docker-config.json"))
                .initialBackoff(Duration.ofMillis(1))
                .clock(clock);
    }

    private static Descriptor configDescriptor() {
        return Descriptor.of(MediaTypes.OCI_CONFIG, Digest.sha256(CONFIG), CONFIG.length);
    }

    private static Descriptor layerDescriptor() {
        return Descriptor.of(MediaTypes.OCI_LAYER_GZIP, Digest.sha256(LAYER), LAYER.length);
    }

    private static byte[] manifest() {
        return ("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\","
                + "\"config\":{\"mediaType\":\"" + MediaTypes.OCI_CONFIG + "\",\"digest\":\"" + Digest.sha256(CONFIG)
                + "\",\"size\":" + CONFIG.length + "},"
                + "\"layers\":[{\"mediaType\":\"" + MediaTypes.OCI_LAYER_GZIP + "\",\"digest\":\""
                + Digest.sha256(LAYER) + "\",\"size\":" + LAYER.length + "}]}").getBytes(StandardCharsets.UTF_8);
    }

    private void serveImage(String tag) {
        byte[] manifest = manifest();
        FakeRegistry.Route serveManifest = ex -> {
            ex.getResponseHeaders().set("Docker-Content-Digest", Digest.sha256(manifest).toString());
            FakeRegistry.respond(ex, 200, MediaTypes.OCI_MANIFEST, manifest);
        };
        fake.on("GET", "/v2/", ex -> FakeRegistry.respond(ex, 200, "application/json", "{}"))
                .on("GET", "/v2/" + REPO + "/manifests/" + tag, serveManifest)
                .on("GET", "/v2/" + REPO + "/manifests/" + Digest.sha256(manifest), serveManifest)
                .on("GET", "/v2/" + REPO + "/blobs/" + Digest.sha256(CONFIG),
                        ex -> FakeRegistry.respond(ex, 200, "application/octet-stream", CONFIG))
                .on("GET", "/v2/" + REPO + "/blobs/" + Digest.sha256(LAYER),
                        ex -> FakeRegistry.respond(ex, 200, "application/octet-stream", LAYER));
    }

    /** Wraps every route so that it demands {@code Authorization: expected}, else 401 with {@code challenge}. */
    private void requireAuthorization(List<String> paths, String challenge, Predicate<String> ok) {
        for (String path : paths) {
            FakeRegistry.Route inner = routeOf(path);
            fake.on("GET", path, ex -> {
                String header = ex.getRequestHeaders().getFirst("Authorization");
                if (header == null || !ok.test(header)) {
                    ex.getResponseHeaders().set("WWW-Authenticate", challenge);
                    FakeRegistry.respond(ex, 401, "application/json",
                            "{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"authentication required\"}]}");
                    return;
                }
                inner.handle(ex);
            });
        }
    }

    private final Map<String, FakeRegistry.Route> plainRoutes = new ConcurrentHashMap<>();

    private FakeRegistry.Route routeOf(String path) {
        return plainRoutes.computeIfAbsent(path, p -> ex -> {
            if (p.equals("/v2/")) {
                FakeRegistry.respond(ex, 200, "application/json", "{}");
            } else {
                throw new IllegalStateException("no inner route for " + p);
            }
        });
    }

    private void serveProtectedImage(String tag, String challenge, Predicate<String> ok) {
        byte[] manifest = manifest();
        plainRoutes.put("/v2/" + REPO + "/manifests/" + tag, ex -> {
            ex.getResponseHeaders().set("Docker-Content-Digest", Digest.sha256(manifest).toString());
            FakeRegistry.respond(ex, 200, MediaTypes.OCI_MANIFEST, manifest);
        });
        plainRoutes.put("/v2/" + REPO + "/blobs/" + Digest.sha256(CONFIG),
                ex -> FakeRegistry.respond(ex, 200, "application/octet-stream", CONFIG));
        plainRoutes.put("/v2/" + REPO + "/blobs/" + Digest.sha256(LAYER),
                ex -> FakeRegistry.respond(ex, 200, "application/octet-stream", LAYER));
        requireAuthorization(List.of("/v2/", "/v2/" + REPO + "/manifests/" + tag,
                "/v2/" + REPO + "/blobs/" + Digest.sha256(CONFIG), "/v2/" + REPO + "/blobs/" + Digest.sha256(LAYER)),
                challenge, ok);
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    // ---- anonymous pulls ------------------------------------------------------------------------------

    @Test
    void pullsManifestConfigAndLayerAnonymously() throws IOException {
        serveImage("1.36");
        try (RegistryClient client = client().build();
             TempFileBlobWriter sink = new TempFileBlobWriter(tmp, Digest.sha256(LAYER))) {
            client.ping(fake.registry());
            RegistryClient.ManifestResponse m = client.getManifest(fake.registry(), REPO, "1.36");
            assertThat(m.digest()).isEqualTo(Digest.sha256(manifest()));
            assertThat(m.mediaType()).isEqualTo(MediaTypes.OCI_MANIFEST);
            ImageManifest parsed = (ImageManifest) m.document();
            assertThat(parsed.layers()).hasSize(1);

            assertThat(client.getBlob(fake.registry(), REPO, parsed.config())).isEqualTo(CONFIG);

            List<Long> progress = new ArrayList<>();
            client.fetchBlob(fake.registry(), REPO, parsed.layers().get(0), sink,
                    (done, total, attempt, cause) -> progress.add(done));
            assertThat(sink.commit()).isEqualTo(Digest.sha256(LAYER));
            assertThat(progress).isNotEmpty().isSorted().endsWith((long) LAYER.length);
        }
        assertThat(fake.requests()).allSatisfy(r -> assertThat(r.header("Authorization")).isNull());
        assertThat(fake.requests("/v2/" + REPO + "/manifests/1.36").get(0).header("Accept"))
                .contains(MediaTypes.OCI_INDEX, MediaTypes.OCI_MANIFEST, MediaTypes.DOCKER_MANIFEST_LIST,
                        MediaTypes.DOCKER_MANIFEST);
    }

    @Test
    void manifestByDigestIsVerified() {
        serveImage("latest");
        Digest digest = Digest.sha256(manifest());
        try (RegistryClient client = client().build()) {
            assertThat(client.getManifest(fake.registry(), REPO, digest.toString()).digest()).isEqualTo(digest);
        }
    }

    @Test
    void headManifestReadsDescriptorFromHeadersAndIsEmptyFor404() {
        serveImage("latest");
        try (RegistryClient client = client().build()) {
            Optional<Descriptor> head = client.headManifest(fake.registry(), REPO, "latest");
            assertThat(head).isPresent();
            assertThat(head.get().digest()).isEqualTo(Digest.sha256(manifest()).toString());
            assertThat(head.get().size()).isEqualTo(manifest().length);
            assertThat(head.get().mediaType()).isEqualTo(MediaTypes.OCI_MANIFEST);
            assertThat(client.headManifest(fake.registry(), REPO, "missing")).isEmpty();
        }
        assertThat(fake.requests()).allSatisfy(r -> assertThat(r.method()).isEqualTo("HEAD"));
    }

    // ---- Basic auth -----------------------------------------------------------------------------------

    @Test
    void basicChallengeIsAnsweredAndThenSentUpFront() {
        serveProtectedImage("1.36", "Basic realm=\"fake registry\"", basic("alice", "s3cret")::equals);
        try (RegistryClient client = client()
                .credentials(r -> r.equals(fake.registry()) ? Optional.of(new Credentials("alice", "s3cret"))
                        : Optional.empty())
                .build()) {
            client.getManifest(fake.registry(), REPO, "1.36");
            client.getBlob(fake.registry(), REPO, configDescriptor());
        }
        List<FakeRegistry.Request> manifestRequests = fake.requests("/v2/" + REPO + "/manifests/1.36");
        assertThat(manifestRequests).hasSize(2);
        assertThat(manifestRequests.get(0).header("Authorization")).isNull();
        assertThat(manifestRequests.get(1).header("Authorization")).isEqualTo(basic("alice", "s3cret"));
        // Once the registry is known to want Basic, the next request carries it without a 401 first.
        assertThat(fake.requests("/v2/" + REPO + "/blobs/" + Digest.sha256(CONFIG)))
                .singleElement().satisfies(r -> assertThat(r.header("Authorization")).isEqualTo(basic("alice", "s3cret")));
    }

    @Test
    void wrongBasicCredentialsFailWithAuthError() {
        serveProtectedImage("1.36", "Basic realm=\"fake\"", basic("alice", "s3cret")::equals);
        try (RegistryClient client = client()
                .credentials(r -> Optional.of(new Credentials("alice", "wrong"))).build()) {
            assertThatThrownBy(() -> client.getManifest(fake.registry(), REPO, "1.36"))
                    .isInstanceOf(RegistryAuthException.class)
                    .hasMessageContaining(fake.registry() + "/" + REPO)
                    .hasMessageContaining("credentials were sent")
                    .satisfies(e -> assertThat(((RegistryAuthException) e).status()).isEqualTo(401));
        }
    }

    @Test
    void basicChallengeWithoutCredentialsSaysNoneWereSent() {
        serveProtectedImage("1.36", "Basic realm=\"fake\"", basic("alice", "s3cret")::equals);
        try (RegistryClient client = client().build()) {
            assertThatThrownBy(() -> client.getManifest(fake.registry(), REPO, "1.36"))
                    .isInstanceOf(RegistryAuthException.class)
                    .hasMessageContaining(fake.registry() + "/" + REPO)
                    .hasMessageContaining("no credentials");
        }
    }

    @Test
    void dockerConfigCredentialsAreUsed() throws IOException {
        serveProtectedImage("1.36", "Basic realm=\"fake\"", basic("bob", "hunter2")::equals);
        Path config = tmp.resolve("docker/config.json");
        Files.createDirectories(config.getParent());
        Files.writeString(config, "{\"credsStore\":\"desktop\",\"auths\":{"
                + "\"https://index.docker.io/v1/\":{\"auth\":\"" + b64("hub:user") + "\"},"
                + "\"http://" + fake.registry() + "/v1/\":{\"auth\":\"" + b64("bob:hunter2") + "\"}}}");
        try (RegistryClient client = client().dockerConfig(config).build()) {
            assertThat(client.getBlob(fake.registry(), REPO, configDescriptor())).isEqualTo(CONFIG);
        }
    }

    @Test
    void builderCredentialsWinOverDockerConfig() throws IOException {
        serveProtectedImage("1.36", "Basic realm=\"fake\"", basic("alice", "s3cret")::equals);
        Path config = tmp.resolve("config.json");
        Files.writeString(config, "{\"auths\":{\"" + fake.registry() + "\":{\"username\":\"bob\",\"password\":\"x\"}}}");
        try (RegistryClient client = client().dockerConfig(config)
                .credentials(r -> Optional.of(new Credentials("alice", "s3cret"))).build()) {
            assertThat(client.getBlob(fake.registry(), REPO, configDescriptor())).isEqualTo(CONFIG);
        }
    }

    // ---- Bearer tokens --------------------------------------------------------------------------------

    /** A token service at /token that issues t1, t2, ... valid for 60 s; the registry accepts issued tokens. */
    private AtomicInteger serveTokens(List<String> acceptedTokens, String requiredAuthorization) {
        AtomicInteger issued = new AtomicInteger();
        fake.on("GET", "/token", ex -> {
            if (requiredAuthorization != null
                    && !requiredAuthorization.equals(ex.getRequestHeaders().getFirst("Authorization"))) {
                FakeRegistry.respond(ex, 401, "application/json", "{\"details\":\"bad credentials\"}");
                return;
            }
            String token = "t" + issued.incrementAndGet();
            acceptedTokens.add("Bearer " + token);
            FakeRegistry.respond(ex, 200, "application/json",
                    "{\"token\":\"" + token + "\",\"expires_in\":60,\"issued_at\":\"" + clock.instant() + "\"}");
        });
        return issued;
    }

    private String bearerChallenge() {
        return "Bearer realm=\"http://" + fake.registry() + "/token\",service=\"fake-registry\","
                + "scope=\"repository:" + REPO + ":pull\"";
    }

    @Test
    void bearerTokenIsFetchedWithServiceAndScopeAndReused() {
        List<String> accepted = new CopyOnWriteArrayList<>();
        AtomicInteger issued = serveTokens(accepted, null);
        serveProtectedImage("1.36", bearerChallenge(), accepted::contains);
        try (RegistryClient client = client().build()) {
            client.getManifest(fake.registry(), REPO, "1.36");
            client.getBlob(fake.registry(), REPO, configDescriptor());
            client.getBlob(fake.registry(), REPO, configDescriptor());
        }
        assertThat(issued).hasValue(1);
        FakeRegistry.Request tokenRequest = fake.requests("/token").get(0);
        assertThat(tokenRequest.query()).contains("service=fake-registry")
                .contains("scope=repository%3Alibrary%2Fbusybox%3Apull");
        assertThat(tokenRequest.header("Authorization")).isNull();
        assertThat(fake.requests("/v2/" + REPO + "/blobs/" + Digest.sha256(CONFIG)))
                .allSatisfy(r -> assertThat(r.header("Authorization")).isEqualTo("Bearer t1"));
    }

    @Test
    void bearerTokenIsRenewedBeforeExpiry() {
        List<String> accepted = new CopyOnWriteArrayList<>();
        AtomicInteger issued = serveTokens(accepted, null);
        serveProtectedImage("1.36", bearerChallenge(), accepted::contains);
        try (RegistryClient client = client().build()) {
            client.getManifest(fake.registry(), REPO, "1.36");
            clock.advance(Duration.ofSeconds(30));
            client.getBlob(fake.registry(), REPO, configDescriptor());
            assertThat(issued).hasValue(1);
            clock.advance(Duration.ofSeconds(25)); // 55 s: within the renewal margin of a 60 s token
            client.getBlob(fake.registry(), REPO, configDescriptor());
            assertThat(issued).hasValue(2);
        }
        assertThat(fake.requests("/v2/" + REPO + "/blobs/" + Digest.sha256(CONFIG)))
                .extracting(r -> r.header("Authorization")).containsExactly("Bearer t1", "Bearer t2");
    }

    @Test
    void revokedBearerTokenIsReplacedOnA401() {
        List<String> accepted = new CopyOnWriteArrayList<>();
        AtomicInteger issued = serveTokens(accepted, null);
        serveProtectedImage("1.36", bearerChallenge(), accepted::contains);
        try (RegistryClient client = client().build()) {
            client.getManifest(fake.registry(), REPO, "1.36");
            accepted.clear(); // the registry forgets t1
            assertThat(client.getBlob(fake.registry(), REPO, configDescriptor())).isEqualTo(CONFIG);
        }
        assertThat(issued).hasValue(2);
    }

    @Test
    void bearerTokenRequestCarriesBasicCredentials() {
        List<String> accepted = new CopyOnWriteArrayList<>();
        serveTokens(accepted, basic("alice", "s3cret"));
        serveProtectedImage("1.36", bearerChallenge(), accepted::contains);
        try (RegistryClient client = client().credentials(r -> Optional.of(new Credentials("alice", "s3cret"))).build()) {
            assertThat(client.getManifest(fake.registry(), REPO, "1.36").digest()).isEqualTo(Digest.sha256(manifest()));
        }
        try (RegistryClient client = client().credentials(r -> Optional.of(new Credentials("alice", "nope"))).build()) {
            assertThatThrownBy(() -> client.getManifest(fake.registry(), REPO, "1.36"))
                    .isInstanceOf(RegistryAuthException.class)
                    .hasMessageContaining("credentials were sent")
                    .hasMessageContaining(fake.registry() + "/" + REPO);
        }
    }

    @Test
    void identityTokenIsExchangedWithOAuth2RefreshGrant() throws IOException {
        List<String> accepted = new CopyOnWriteArrayList<>();
        List<String> forms = new CopyOnWriteArrayList<>();
        fake.on("POST", "/token", ex -> {
            forms.add(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            accepted.add("Bearer oauth");
            FakeRegistry.respond(ex, 200, "application/json", "{\"access_token\":\"oauth\",\"expires_in\":300}");
        });
        serveProtectedImage("1.36", bearerChallenge(), accepted::contains);
        Path config = tmp.resolve("config.json");
        Files.writeString(config, "{\"auths\":{\"" + fake.registry() + "\":{\"auth\":\"\",\"identitytoken\":\"refresh-me\"}}}");
        try (RegistryClient client = client().dockerConfig(config).build()) {
            client.getManifest(fake.registry(), REPO, "1.36");
        }
        assertThat(forms).singleElement().satisfies(f -> assertThat(f)
                .contains("grant_type=refresh_token", "refresh_token=refresh-me", "service=fake-registry",
                        "scope=repository%3Alibrary%2Fbusybox%3Apull"));
    }

    @Test
    void pingWithBearerAsksForATokenWithoutRepositoryScope() {
        List<String> accepted = new CopyOnWriteArrayList<>();
        serveTokens(accepted, null);
        requireAuthorization(List.of("/v2/"), "Bearer realm=\"http://" + fake.registry() + "/token\",service=\"fake\"",
                accepted::contains);
        try (RegistryClient client = client().build()) {
            client.ping(fake.registry());
        }
        assertThat(fake.requests("/token").get(0).query()).isEqualTo("service=fake");
    }

    // ---- errors ---------------------------------------------------------------------------------------

    @Test
    void missingManifestIsImageNotFound() {
        try (RegistryClient client = client().build()) {
            assertThatThrownBy(() -> client.getManifest(fake.registry(), "foo", "bar"))
                    .isInstanceOf(ImageNotFoundException.class)
                    .hasMessage("manifest unknown: " + fake.registry() + "/foo:bar");
            assertThatThrownBy(() -> client.getBlob(fake.registry(), "foo", configDescriptor()))
                    .isInstanceOf(ImageNotFoundException.class)
                    .hasMessageContaining("blob unknown: " + fake.registry() + "/foo@" + Digest.sha256(CONFIG));
        }
    }

    @Test
    void tooManyRequestsCarriesRetryAfterInSecondsOrAsDate() {
        fake.on("GET", "/v2/" + REPO + "/manifests/a", ex -> {
            ex.getResponseHeaders().set("Retry-After", "7");
            FakeRegistry.respond(ex, 429, "application/json",
                    "{\"errors\":[{\"code\":\"TOOMANYREQUESTS\",\"message\":\"pull rate limit\"}]}");
        });
        fake.on("GET", "/v2/" + REPO + "/manifests/b", ex -> {
            ex.getResponseHeaders().set("Retry-After", "Thu, 01 Jan 2026 00:02:00 GMT");
            FakeRegistry.respond(ex, 429, null, "");
        });
        try (RegistryClient client = client().build()) {
            assertThatThrownBy(() -> client.getManifest(fake.registry(), REPO, "a"))
                    .isInstanceOfSatisfying(RateLimitedException.class, e -> {
                        assertThat(e.retryAfter()).contains(Duration.ofSeconds(7));
                        assertThat(e.getMessage()).contains("TOOMANYREQUESTS pull rate limit");
                    });
            assertThatThrownBy(() -> client.getManifest(fake.registry(), REPO, "b"))
                    .isInstanceOfSatisfying(RateLimitedException.class,
                            e -> assertThat(e.retryAfter()).contains(Duration.ofMinutes(2)));
        }
        assertThat(fake.requests("/v2/" + REPO + "/manifests/a")).hasSize(1); // 429 is not retried blindly
    }

    @Test
    void otherErrorsCarryStatusAndRegistryMessage() {
        fake.on("GET", "/v2/" + REPO + "/manifests/bad", ex -> FakeRegistry.respond(ex, 400, "application/json",
                "{\"errors\":[{\"code\":\"TAG_INVALID\",\"message\":\"manifest tag did not match\"}]}"));
        try (RegistryClient client = client().build()) {
            assertThatThrownBy(() -> client.getManifest(fake.registry(), REPO, "bad"))
                    .isInstanceOfSatisfying(RegistryException.class, e -> {
                        assertThat(e.status()).isEqualTo(400);
                        assertThat(e.getMessage()).contains("TAG_INVALID manifest tag did not match");
                    });
        }
        assertThat(fake.requests()).hasSize(1);
    }

    @Test
    void serverErrorsAreRetriedThenSucceed() {
        byte[] manifest = manifest();
        AtomicInteger calls = new AtomicInteger();
        fake.on("GET", "/v2/" + REPO + "/manifests/flaky", ex -> {
            if (calls.incrementAndGet() < 3) {
                FakeRegistry.respond(ex, 503, null, "");
            } else {
                FakeRegistry.respond(ex, 200, MediaTypes.OCI_MANIFEST, manifest);
            }
        });
        fake.on("GET", "/v2/" + REPO + "/manifests/down", ex -> FakeRegistry.respond(ex, 503, null, ""));
        try (RegistryClient client = client().maxAttempts(3).build()) {
            assertThat(client.getManifest(fake.registry(), REPO, "flaky").bytes()).isEqualTo(manifest);
            assertThatThrownBy(() -> client.getManifest(fake.registry(), REPO, "down"))
                    .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.status()).isEqualTo(503));
        }
        assertThat(fake.requests("/v2/" + REPO + "/manifests/down")).hasSize(3);
    }

    @Test
    void unreachableRegistryIsStatusZeroNamingTheUrl() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        try (RegistryClient client = client().maxAttempts(2).build()) {
            assertThatThrownBy(() -> client.getManifest("127.0.0.1:" + closedPort, REPO, "latest"))
                    .isInstanceOfSatisfying(RegistryException.class, e -> {
                        assertThat(e.status()).isZero();
                        assertThat(e.getMessage()).contains("http://127.0.0.1:" + closedPort + "/v2/" + REPO
                                + "/manifests/latest").contains("2 attempts");
                    });
        }
    }

    @Test
    void manifestDigestMismatchesAreDetected() {
        byte[] manifest = manifest();
        Digest other = Digest.sha256("something else".getBytes(StandardCharsets.UTF_8));
        fake.on("GET", "/v2/" + REPO + "/manifests/" + other, ex -> FakeRegistry.respond(ex, 200,
                MediaTypes.OCI_MANIFEST, manifest));
        fake.on("GET", "/v2/" + REPO + "/manifests/lying", ex -> {
            ex.getResponseHeaders().set("Docker-Content-Digest", other.toString());
            FakeRegistry.respond(ex, 200, MediaTypes.OCI_MANIFEST, manifest);
        });
        try (RegistryClient client = client().build()) {
            assertThatThrownBy(() -> client.getManifest(fake.registry(), REPO, other.toString()))
                    .isInstanceOfSatisfying(DigestMismatchException.class, e -> {
                        assertThat(e.expected()).isEqualTo(other.toString());
                        assertThat(e.actual()).isEqualTo(Digest.sha256(manifest).toString());
                    });
            assertThatThrownBy(() -> client.getManifest(fake.registry(), REPO, "lying"))
                    .isInstanceOf(DigestMismatchException.class)
                    .hasMessageContaining("Docker-Content-Digest");
        }
    }

    @Test
    void blobDigestMismatchIsDetected() {
        byte[] tampered = CONFIG.clone();
        tampered[5] ^= 1;
        fake.on("GET", "/v2/" + REPO + "/blobs/" + Digest.sha256(CONFIG),
                ex -> FakeRegistry.respond(ex, 200, "application/octet-stream", tampered));
        try (RegistryClient client = client().build()) {
            assertThatThrownBy(() -> client.getBlob(fake.registry(), REPO, configDescriptor()))
                    .isInstanceOfSatisfying(DigestMismatchException.class,
                            e -> assertThat(e.actual()).isEqualTo(Digest.sha256(tampered).toString()));
        }
    }

    @Test
    void malformedAndSchema1ManifestsAreRejected() {
        fake.on("GET", "/v2/" + REPO + "/manifests/broken",
                ex -> FakeRegistry.respond(ex, 200, MediaTypes.OCI_MANIFEST, "{\"schemaVersion\":2,"));
        fake.on("GET", "/v2/" + REPO + "/manifests/ancient", ex -> FakeRegistry.respond(ex, 200,
                MediaTypes.DOCKER_SCHEMA1_SIGNED, "{\"schemaVersion\":1,\"name\":\"x\",\"tag\":\"y\",\"fsLayers\":[]}"));
        fake.on("GET", "/v2/" + REPO + "/manifests/huge",
                ex -> FakeRegistry.respond(ex, 200, MediaTypes.OCI_MANIFEST, new byte[(4 << 20) + 1]));
        try (RegistryClient client = client().build()) {
            assertThatThrownBy(() -> client.getManifest(fake.registry(), REPO, "broken"))
                    .isInstanceOf(MalformedContentException.class);
            assertThatThrownBy(() -> client.getManifest(fake.registry(), REPO, "ancient"))
                    .isInstanceOf(UnsupportedMediaTypeException.class);
            assertThatThrownBy(() -> client.getManifest(fake.registry(), REPO, "huge"))
                    .isInstanceOf(MalformedContentException.class).hasMessageContaining("larger than");
        }
    }

    // ---- resumable blob downloads ---------------------------------------------------------------------

    /** Sends the full Content-Length but only {@code cut} bytes, then the connection dies. */
    private static void sendTruncated(HttpExchange ex, byte[] body, int cut) throws IOException {
        ex.getResponseHeaders().set("Content-Type", "application/octet-stream");
        ex.sendResponseHeaders(200, body.length);
        OutputStream out = ex.getResponseBody();
        out.write(body, 0, cut);
        out.flush();
        ex.close(); // fewer bytes than declared: the server abandons the connection
    }

    @Test
    void droppedConnectionResumesWithRange() throws IOException {
        int cut = 600_000;
        AtomicInteger calls = new AtomicInteger();
        fake.on("GET", "/v2/" + REPO + "/blobs/" + Digest.sha256(LAYER), ex -> {
            if (calls.incrementAndGet() == 1) {
                sendTruncated(ex, LAYER, cut);
                return;
            }
            String range = ex.getRequestHeaders().getFirst("Range");
            long from = Long.parseLong(range.substring("bytes=".length(), range.length() - 1));
            ex.getResponseHeaders().set("Content-Range", "bytes " + from + "-" + (LAYER.length - 1) + "/" + LAYER.length);
            byte[] rest = Arrays.copyOfRange(LAYER, (int) from, LAYER.length);
            FakeRegistry.respond(ex, 206, "application/octet-stream", rest);
        });
        List<Integer> attempts = new ArrayList<>();
        List<Throwable> causes = new ArrayList<>();
        try (RegistryClient client = client().build();
             TempFileBlobWriter sink = new TempFileBlobWriter(tmp, Digest.sha256(LAYER))) {
            client.fetchBlob(fake.registry(), REPO, layerDescriptor(), sink, (done, total, attempt, cause) -> {
                attempts.add(attempt);
                if (cause != null) {
                    causes.add(cause);
                }
            });
            assertThat(sink.commit()).isEqualTo(Digest.sha256(LAYER));
            assertThat(sink.resets()).isZero();
        }
        List<FakeRegistry.Request> requests = fake.requests("/v2/" + REPO + "/blobs/" + Digest.sha256(LAYER));
        assertThat(requests).hasSize(2);
        assertThat(requests.get(0).header("Range")).isNull();
        assertThat(requests.get(1).header("Range")).matches("bytes=\\d+-");
        assertThat(Long.parseLong(requests.get(1).header("Range").replaceAll("\\D", ""))).isPositive().isLessThanOrEqualTo(cut);
        assertThat(attempts).contains(2);
        assertThat(causes).singleElement().isInstanceOf(IOException.class);
    }

    @Test
    void serverIgnoringRangeRestartsFromZero() throws IOException {
        AtomicInteger calls = new AtomicInteger();
        fake.on("GET", "/v2/" + REPO + "/blobs/" + Digest.sha256(LAYER), ex -> {
            if (calls.incrementAndGet() == 1) {
                sendTruncated(ex, LAYER, 700_000);
            } else {
                FakeRegistry.respond(ex, 200, "application/octet-stream", LAYER);
            }
        });
        try (RegistryClient client = client().build();
             TempFileBlobWriter sink = new TempFileBlobWriter(tmp, Digest.sha256(LAYER))) {
            client.fetchBlob(fake.registry(), REPO, layerDescriptor(), sink, null);
            assertThat(sink.resets()).isEqualTo(1);
            assertThat(sink.content()).isEqualTo(LAYER);
            assertThat(sink.commit()).isEqualTo(Digest.sha256(LAYER));
        }
        assertThat(fake.requests("/v2/" + REPO + "/blobs/" + Digest.sha256(LAYER)).get(1).header("Range")).isNotNull();
    }

    @Test
    void blobDownloadGivesUpAfterMaxAttempts() throws IOException {
        fake.on("GET", "/v2/" + REPO + "/blobs/" + Digest.sha256(LAYER), ex -> sendTruncated(ex, LAYER, 0));
        try (RegistryClient client = client().maxAttempts(3).build();
             TempFileBlobWriter sink = new TempFileBlobWriter(tmp, Digest.sha256(LAYER))) {
            assertThatThrownBy(() -> client.fetchBlob(fake.registry(), REPO, layerDescriptor(), sink, null))
                    .isInstanceOfSatisfying(RegistryException.class, e -> {
                        assertThat(e.status()).isZero();
                        assertThat(e.getMessage()).contains("3 attempts").contains("/blobs/" + Digest.sha256(LAYER));
                    });
        }
        assertThat(fake.requests()).hasSize(3);
    }

    @Test
    void missingBlobIsNotRetried() throws IOException {
        try (RegistryClient client = client().build();
             TempFileBlobWriter sink = new TempFileBlobWriter(tmp, Digest.sha256(LAYER))) {
            assertThatThrownBy(() -> client.fetchBlob(fake.registry(), REPO, layerDescriptor(), sink, null))
                    .isInstanceOf(ImageNotFoundException.class).hasMessageContaining("blob unknown");
        }
        assertThat(fake.requests()).hasSize(1);
    }

    @Test
    void rangeAnsweredFromTheWrongOffsetRestartsFromZero() throws IOException {
        AtomicInteger calls = new AtomicInteger();
        fake.on("GET", "/v2/" + REPO + "/blobs/" + Digest.sha256(LAYER), ex -> {
            switch (calls.incrementAndGet()) {
                case 1 -> sendTruncated(ex, LAYER, 500_000);
                case 2 -> { // a 206 that does not start where the client asked
                    ex.getResponseHeaders().set("Content-Range", "bytes 0-" + (LAYER.length - 1) + "/" + LAYER.length);
                    FakeRegistry.respond(ex, 206, "application/octet-stream", LAYER);
                }
                default -> FakeRegistry.respond(ex, 200, "application/octet-stream", LAYER);
            }
        });
        try (RegistryClient client = client().build();
             TempFileBlobWriter sink = new TempFileBlobWriter(tmp, Digest.sha256(LAYER))) {
            client.fetchBlob(fake.registry(), REPO, layerDescriptor(), sink, null);
            assertThat(sink.content()).isEqualTo(LAYER);
            assertThat(sink.commit()).isEqualTo(Digest.sha256(LAYER));
        }
        List<FakeRegistry.Request> requests = fake.requests("/v2/" + REPO + "/blobs/" + Digest.sha256(LAYER));
        assertThat(requests).hasSize(3);
        assertThat(requests.get(2).header("Range")).isNull();
    }

    @Test
    void moreBytesThanDeclaredAreMalformedAndNotRetried() throws IOException {
        byte[] longer = Arrays.copyOf(LAYER, LAYER.length + 1);
        fake.on("GET", "/v2/" + REPO + "/blobs/" + Digest.sha256(LAYER),
                ex -> FakeRegistry.respond(ex, 200, "application/octet-stream", longer));
        try (RegistryClient client = client().build();
             TempFileBlobWriter sink = new TempFileBlobWriter(tmp, Digest.sha256(LAYER))) {
            assertThatThrownBy(() -> client.fetchBlob(fake.registry(), REPO, layerDescriptor(), sink, null))
                    .isInstanceOf(MalformedContentException.class).hasMessageContaining("more than");
            assertThat(sink.written()).isLessThanOrEqualTo(LAYER.length);
        }
        assertThat(fake.requests()).hasSize(1);
    }

    @Test
    void sinkFailureSurfacesAsItselfAndIsNotRetried() throws IOException {
        fake.on("GET", "/v2/" + REPO + "/blobs/" + Digest.sha256(LAYER),
                ex -> FakeRegistry.respond(ex, 200, "application/octet-stream", LAYER));
        StorageException diskFull = new StorageException("No space left on device");
        try (RegistryClient client = client().build();
             TempFileBlobWriter sink = new TempFileBlobWriter(tmp, Digest.sha256(LAYER)) {
                 @Override
                 public void write(java.nio.ByteBuffer bytes) throws IOException {
                     if (written() > 300_000) {
                         throw diskFull;
                     }
                     super.write(bytes);
                 }
             }) {
            assertThatThrownBy(() -> client.fetchBlob(fake.registry(), REPO, layerDescriptor(), sink, null))
                    .isSameAs(diskFull);
        }
        assertThat(fake.requests()).hasSize(1);
    }

    @Test
    void progressIsReportedWhileStreamingAndEndsAtTheTotal() throws IOException {
        fake.on("GET", "/v2/" + REPO + "/blobs/" + Digest.sha256(LAYER),
                ex -> FakeRegistry.respond(ex, 200, "application/octet-stream", LAYER));
        List<Long> done = new CopyOnWriteArrayList<>();
        try (RegistryClient client = client().build();
             TempFileBlobWriter sink = new TempFileBlobWriter(tmp, Digest.sha256(LAYER))) {
            client.fetchBlob(fake.registry(), REPO, layerDescriptor(), sink, (bytes, total, attempt, cause) -> {
                assertThat(total).isEqualTo(LAYER.length);
                done.add(bytes);
            });
        }
        assertThat(done).hasSizeGreaterThan(1).isSorted().last().isEqualTo((long) LAYER.length);
    }

    // ---- redirects ------------------------------------------------------------------------------------

    @Test
    void redirectToAnotherHostDropsAuthorization() throws IOException {
        List<String> accepted = new CopyOnWriteArrayList<>();
        serveTokens(accepted, null);
        String blobPath = "/v2/" + REPO + "/blobs/" + Digest.sha256(LAYER);
        try (FakeRegistry storage = new FakeRegistry()) {
            storage.on("GET", "/bucket/layer", ex -> FakeRegistry.respond(ex, 200, "application/octet-stream", LAYER));
            // Same registry origin first (keeps the token), then "localhost" is another host (must not get it).
            plainRoutes.put(blobPath, ex -> {
                ex.getResponseHeaders().set("Location", "/v2/" + REPO + "/blobs/redirected");
                FakeRegistry.respond(ex, 307, null, "");
            });
            plainRoutes.put("/v2/" + REPO + "/blobs/redirected", ex -> {
                ex.getResponseHeaders().set("Location", "http://localhost:" + storage.port() + "/bucket/layer?sig=abc");
                FakeRegistry.respond(ex, 302, null, "");
            });
            requireAuthorization(List.of(blobPath, "/v2/" + REPO + "/blobs/redirected"), bearerChallenge(),
                    accepted::contains);
            try (RegistryClient client = client().build();
                 TempFileBlobWriter sink = new TempFileBlobWriter(tmp, Digest.sha256(LAYER))) {
                client.fetchBlob(fake.registry(), REPO, layerDescriptor(), sink, null);
                assertThat(sink.commit()).isEqualTo(Digest.sha256(LAYER));
            }
            assertThat(fake.requests("/v2/" + REPO + "/blobs/redirected"))
                    .allSatisfy(r -> assertThat(r.header("Authorization")).isEqualTo("Bearer t1"));
            assertThat(storage.requests()).singleElement().satisfies(r -> {
                assertThat(r.header("Authorization")).isNull();
                assertThat(r.query()).isEqualTo("sig=abc");
            });
        }
    }

    // ---- tags -----------------------------------------------------------------------------------------

    @Test
    void listTagsFollowsLinkPagination() {
        fake.on("GET", "/v2/" + REPO + "/tags/list", ex -> {
            String query = ex.getRequestURI().getRawQuery();
            if (query != null && query.contains("last=b")) {
                FakeRegistry.respond(ex, 200, "application/json", "{\"name\":\"" + REPO + "\",\"tags\":[\"c\"]}");
            } else {
                ex.getResponseHeaders().set("Link", "</v2/" + REPO + "/tags/list?last=b&n=2>; rel=\"next\"");
                FakeRegistry.respond(ex, 200, "application/json", "{\"name\":\"" + REPO + "\",\"tags\":[\"a\",\"b\"]}");
            }
        });
        try (RegistryClient client = client().build()) {
            assertThat(client.listTags(fake.registry(), REPO)).containsExactly("a", "b", "c");
            assertThatThrownBy(() -> client.listTags(fake.registry(), "nope"))
                    .isInstanceOf(ImageNotFoundException.class).hasMessageContaining("nope");
        }
        assertThat(fake.requests("/v2/" + REPO + "/tags/list")).extracting(FakeRegistry.Request::query)
                .containsExactly("n=100", "last=b&n=2");
    }

    // ---- support --------------------------------------------------------------------------------------

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] randomBytes(int n) {
        byte[] bytes = new byte[n];
        new Random(42).nextBytes(bytes);
        return bytes;
    }

    static final class MutableClock implements InstantSource {
        private volatile Instant now;

        MutableClock(Instant start) {
            this.now = start;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
