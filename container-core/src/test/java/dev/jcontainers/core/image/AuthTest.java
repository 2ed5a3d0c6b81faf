package dev.jcontainers.core.image;

import dev.jcontainers.api.Credentials;
import dev.jcontainers.api.Engine;
import dev.jcontainers.api.EngineOptions;
import dev.jcontainers.api.ImageSummary;
import dev.jcontainers.api.PullOptions;
import dev.jcontainers.api.RegistryAuthException;
import dev.jcontainers.api.RegistryException;
import dev.jcontainers.core.LocalEngine;
import dev.jcontainers.testkit.FixtureImage;
import dev.jcontainers.testkit.RegistryMode;
import dev.jcontainers.testkit.RegistryServer;
import dev.jcontainers.testkit.RegistryTest;
import dev.jcontainers.testkit.Requirements;
import dev.jcontainers.testkit.Skopeo;
import dev.jcontainers.testkit.TestImages;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Pulls from registries that want credentials: htpasswd Basic, and token auth over HTTPS with a test CA. */
class AuthTest {

    static FixtureImage push(Path fixtures, RegistryServer registry, String repoTag) {
        Requirements.requireTool("skopeo");
        FixtureImage image = new TestImages(fixtures).singleLayer("img");
        Skopeo.push(image, registry, repoTag, Skopeo.credentials("alice", "secret"));
        return image;
    }

    @Nested
    @RegistryTest(mode = RegistryMode.BASIC)
    class Basic {
        static RegistryServer registry;
        static FixtureImage image;

        @TempDir
        static Path fixtures;

        @TempDir
        Path root;

        @BeforeAll
        static void pushFixture() {
            image = push(fixtures, registry, "private/app:1");
        }

        String ref() {
            return registry.host() + "/private/app:1";
        }

        @Test
        void pullsWithCredentialsGivenToTheEngine() {
            try (Engine engine = new LocalEngine(TestEngines.isolated(root)
                    .credentials(registry.host(), new Credentials("alice", "secret")).build())) {
                ImageSummary img = engine.images().pull(ref());
                assertThat(img.id()).isEqualTo(image.configDigest());
            }
        }

        @Test
        void pullsWithCredentialsGivenForOnePull() {
            try (Engine engine = new LocalEngine(TestEngines.isolated(root).build())) {
                ImageSummary img = engine.images().pull(ref(),
                        PullOptions.defaults().withCredentials(new Credentials("alice", "secret")));
                assertThat(img.id()).isEqualTo(image.configDigest());
            }
        }

        @Test
        void pullsWithCredentialsFromTheDockerConfigFile() throws Exception {
            Path config = root.resolve("docker/config.json");
            Files.createDirectories(config.getParent());
            String auth = Base64.getEncoder().encodeToString("alice:secret".getBytes(StandardCharsets.UTF_8));
            Files.writeString(config, "{\"auths\":{\"" + registry.host() + "\":{\"auth\":\"" + auth + "\"}}}");
            try (Engine engine = new LocalEngine(EngineOptions.builder().root(root.resolve("store"))
                    .dockerConfig(config).build())) {
                assertThat(engine.images().pull(ref()).id()).isEqualTo(image.configDigest());
            }
        }

        @Test
        void wrongOrMissingCredentialsAreAuthErrorsAndLeaveTheStoreUnchanged() {
            try (Engine engine = new LocalEngine(TestEngines.isolated(root)
                    .credentials(registry.host(), new Credentials("alice", "wrong")).build())) {
                Map<String, String> before = StoreSnapshot.of(root);
                assertThatThrownBy(() -> engine.images().pull(ref()))
                        .isInstanceOfSatisfying(RegistryAuthException.class, e -> assertThat(e.status()).isEqualTo(401));
                assertThat(StoreSnapshot.of(root)).isEqualTo(before);
            }
            try (Engine engine = new LocalEngine(TestEngines.isolated(root).build())) {
                assertThatThrownBy(() -> engine.images().pull(ref())).isInstanceOf(RegistryAuthException.class);
            }
        }
    }

    @Nested
    @RegistryTest(mode = RegistryMode.TOKEN)
    class TokenOverTls {
        static RegistryServer registry;
        static FixtureImage image;

        @TempDir
        static Path fixtures;

        @TempDir
        Path root;

        @BeforeAll
        static void pushFixture() {
            image = push(fixtures, registry, "team/app:1");
        }

        @Test
        void pullsOverHttpsWithABearerTokenForThePullScope() {
            registry.tokenServer().clearRequests();
            try (Engine engine = new LocalEngine(TestEngines.isolated(root)
                    .sslContext(registry.sslContext())
                    .credentials(registry.host(), new Credentials("alice", "secret")).build())) {
                ImageSummary img = engine.images().pull(registry.host() + "/team/app:1");
                assertThat(img.id()).isEqualTo(image.configDigest());
            }
            assertThat(registry.tokenServer().issuedScopes()).contains("repository:team/app:pull");
            assertThat(registry.tokenServer().requests()).allSatisfy(r -> assertThat(r.username()).isEqualTo("alice"));
        }

        @Test
        void aRegistryWhoseCertificateIsNotTrustedIsRefused() {
            try (Engine engine = new LocalEngine(TestEngines.isolated(root)
                    .insecureRegistry("none")
                    .credentials(registry.host(), new Credentials("alice", "secret")).build())) {
                assertThatThrownBy(() -> engine.images().pull(registry.host() + "/team/app:1"))
                        .isInstanceOf(RegistryException.class);
            }
        }
    }
}
