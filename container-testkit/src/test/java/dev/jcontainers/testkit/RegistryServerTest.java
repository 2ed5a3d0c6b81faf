package dev.jcontainers.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RegistryServerTest {

    @TempDir
    static Path fixtures;
    static TestImages images;

    @BeforeAll
    static void tools() {
        Requirements.requireTool("docker-registry");
        Requirements.requireTool("skopeo");
        images = new TestImages(fixtures);
    }

    @Test
    void plainRegistryTakesPushesAndIsGoneAfterClose() throws Exception {
        FixtureImage image = images.singleLayer("v1");
        Path storage;
        try (RegistryServer registry = RegistryServer.plain()) {
            assertThat(registry.host()).matches("127\\.0\\.0\\.1:\\d+");
            assertThat(registry.url().toString()).isEqualTo("http://" + registry.host());
            assertThat(status(HttpClient.newHttpClient(), registry, "/v2/")).isEqualTo(200);

            Skopeo.push(image, registry, "fixtures/single:v1");

            JsonNode raw = Skopeo.inspect(registry, "fixtures/single:v1", Skopeo.raw());
            assertThat(raw.path("mediaType").asText()).isEqualTo(TestImages.MANIFEST);
            assertThat(raw.path("config").path("digest").asText()).isEqualTo(image.configDigest());
            JsonNode summary = Skopeo.inspect(registry, "fixtures/single:v1");
            assertThat(summary.path("Digest").asText()).isEqualTo(image.manifestDigest());
            assertThat(summary.path("Layers").get(0).asText()).isEqualTo(image.layerDigests().get(0));
            assertThat(registry.tags("fixtures/single")).containsExactly("v1");
            assertThat(registry.tags("fixtures/absent")).isEmpty();
            storage = registry.storageDirectory();
            assertThat(storage).isDirectory();
        }
        assertThat(storage).doesNotExist();
    }

    @Test
    void basicRegistryAcceptsItsUserAndRefusesAWrongPassword() throws Exception {
        List<FixtureImage> pair = images.withSharedBase("a", "b");
        try (RegistryServer registry = RegistryServer.basic("bob", "s3cret")) {
            assertThat(registry.credentials()).contains(new Credentials("bob", "s3cret"));
            assertThat(status(HttpClient.newHttpClient(), registry, "/v2/")).isEqualTo(401);

            assertThatThrownBy(() -> Skopeo.push(pair.get(0), registry, "shared/a:a", Skopeo.credentials("bob", "wrong")))
                    .isInstanceOf(ExternalProcess.FailedException.class)
                    .hasMessageContaining("unauthorized");
            assertThatThrownBy(() -> Skopeo.push(pair.get(0), registry, "shared/a:a", Skopeo.anonymous()))
                    .isInstanceOf(ExternalProcess.FailedException.class);
            assertThat(registry.tags("shared/a")).isEmpty();

            Skopeo.push(pair.get(0), registry, "shared/a:a");
            Skopeo.push(pair.get(1), registry, "shared/b:b", Skopeo.dockerV2s2());

            assertThat(registry.tags("shared/a")).containsExactly("a");
            assertThat(registry.tags("shared/b")).containsExactly("b");
            JsonNode converted = Skopeo.inspect(registry, "shared/b:b", Skopeo.raw());
            assertThat(converted.path("mediaType").asText())
                    .isEqualTo("application/vnd.docker.distribution.manifest.v2+json");
            // The shared base is one blob in the registry's storage, linked into both repositories.
            String base = pair.get(0).layerDigests().get(0);
            assertThat(Skopeo.inspect(registry, "shared/b:b").path("Layers").get(0).asText()).isEqualTo(base);
            assertThat(registry.storageDirectory().resolve("docker/registry/v2/blobs/sha256")
                    .resolve(base.substring(7, 9)).resolve(base.substring(7)).resolve("data")).isRegularFile();
        }
    }

    @Test
    void tokenRegistryServesHttpsAndIssuesTheRequestedScopes() throws Exception {
        FixtureImage image = images.multiLayer("m", 3);
        try (RegistryServer registry = RegistryServer.token("alice", "secret")) {
            assertThat(registry.isTls()).isTrue();
            assertThat(registry.url().toString()).startsWith("https://127.0.0.1:");
            assertThat(registry.caCertificatePem()).startsWith("-----BEGIN CERTIFICATE-----");
            assertThat(registry.caCertDir().resolve("ca.crt")).isRegularFile();
            HttpClient trusting = HttpClient.newBuilder().sslContext(registry.sslContext()).build();
            HttpResponse<Void> challenge = trusting.send(HttpRequest.newBuilder(registry.url().resolve("/v2/")).build(),
                    HttpResponse.BodyHandlers.discarding());
            assertThat(challenge.statusCode()).isEqualTo(401);
            assertThat(challenge.headers().firstValue("WWW-Authenticate").orElseThrow())
                    .startsWith("Bearer realm=\"" + registry.tokenServer().realm() + "\"");

            Skopeo.push(image, registry, "team/multi:m");

            assertThat(registry.tokenServer().issuedScopes()).contains("repository:team/multi:pull,push");
            assertThat(registry.tokenServer().requests()).allSatisfy(r -> {
                assertThat(r.username()).isEqualTo("alice");
                assertThat(r.service()).isEqualTo(registry.tokenServer().service());
            });
            registry.tokenServer().clearRequests();
            JsonNode summary = Skopeo.inspect(registry, "team/multi:m");
            assertThat(summary.path("Layers")).hasSize(3);
            assertThat(registry.tokenServer().issuedScopes()).containsOnly("repository:team/multi:pull");
            assertThat(registry.tags("team/multi")).containsExactly("m");

            assertThatThrownBy(() -> Skopeo.inspect(registry, "team/multi:m", Skopeo.credentials("alice", "nope")))
                    .isInstanceOf(ExternalProcess.FailedException.class);
            // Anonymous callers get a token, but one that grants nothing.
            registry.tokenServer().clearRequests();
            assertThatThrownBy(() -> Skopeo.inspect(registry, "team/multi:m", Skopeo.anonymous()))
                    .isInstanceOf(ExternalProcess.FailedException.class);
            assertThat(registry.tokenServer().requests()).isNotEmpty()
                    .allSatisfy(r -> assertThat(r.anonymous()).isTrue());
            assertThat(registry.tokenServer().issuedScopes()).isEmpty();
        }
    }

    @Test
    void tlsIsVerifiedAgainstTheTestCa() throws Exception {
        FixtureImage image = images.singleLayer("tls");
        try (RegistryServer registry = RegistryServer.builder().tls(true).start()) {
            Skopeo.push(image, registry, "secure/image:tls");
            // Without the CA, skopeo must refuse the certificate: the TLS is real.
            Path noCa = Files.createTempDirectory(fixtures, "no-ca");
            ExternalProcess.Result refused = ExternalProcess.run(Skopeo.TIMEOUT, List.of("skopeo", "inspect",
                    "--tls-verify=true", "--cert-dir=" + noCa, "--no-creds",
                    "docker://" + registry.host() + "/secure/image:tls"));
            assertThat(refused.exitCode()).isNotZero();
            assertThat(refused.stderr()).contains("certificate");
            assertThat(Skopeo.inspect(registry, "secure/image:tls").path("Digest").asText())
                    .isEqualTo(image.manifestDigest());
        }
    }

    @Test
    void multiPlatformIndexIsPushedWithAllPlatforms() throws Exception {
        FixtureIndex index = images.multiPlatform("multi");
        try (RegistryServer registry = RegistryServer.plain()) {
            Skopeo.push(index, registry, "platforms/busybox:multi");

            JsonNode raw = Skopeo.inspect(registry, "platforms/busybox:multi", Skopeo.raw());
            assertThat(raw.path("mediaType").asText()).isEqualTo(TestImages.INDEX);
            assertThat(raw.path("manifests")).hasSize(2);
            assertThat(raw.path("manifests").get(1).path("platform").path("architecture").asText()).isEqualTo("arm64");
            JsonNode arm = Skopeo.inspect(registry, "platforms/busybox@" + index.platform("arm64").manifestDigest(),
                    Skopeo.config());
            assertThat(arm.path("architecture").asText()).isEqualTo("arm64");
            assertThat(registry.tags("platforms/busybox")).containsExactly("multi");
        }
    }

    @Test
    void largeImageRoundTripsThroughTheRegistry(@TempDir Path pulled) throws Exception {
        FixtureImage image = images.large("big", 8, 2);
        try (RegistryServer registry = RegistryServer.plain()) {
            Skopeo.push(image, registry, "bench/large:big");
            Skopeo.pull(registry, "bench/large:big", pulled.resolve("layout"), "copy");
            for (String digest : image.layerDigests()) {
                assertThat(pulled.resolve("layout/blobs/sha256").resolve(digest.substring(7)))
                        .hasSameBinaryContentAs(image.blobPath(digest));
            }
        }
    }

    private static int status(HttpClient client, RegistryServer registry, String path) throws Exception {
        return client.send(HttpRequest.newBuilder(registry.url().resolve(path)).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
