package dev.jcontainers.core.image;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jcontainers.api.Credentials;
import dev.jcontainers.api.Engine;
import dev.jcontainers.api.PushListener;
import dev.jcontainers.api.PushOptions;
import dev.jcontainers.api.PushResult;
import dev.jcontainers.api.RegistryAuthException;
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

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Pushes images from the store to the real Distribution registry; skopeo reads back what arrived. */
class PushTest {

    /** Records what happened to each blob, and who it was mounted from. */
    static final class Outcomes implements PushListener {
        final Map<String, Outcome> byDigest = new ConcurrentHashMap<>();
        final Map<String, String> mountedFrom = new ConcurrentHashMap<>();

        @Override
        public void blobDone(String digest, long size, Outcome outcome, String from) {
            byDigest.put(digest, outcome);
            if (from != null) {
                mountedFrom.put(digest, from);
            }
        }
    }

    static PushResult push(Engine engine, String local, String target, Outcomes outcomes) {
        return engine.images().push(local, target, PushOptions.defaults().withListener(outcomes));
    }

    @Nested
    @RegistryTest
    class Plain {
        static RegistryServer registry;
        static FixtureImage multi;
        static FixtureImage fresh;

        @TempDir
        static Path fixtures;

        @TempDir
        Path root;

        @BeforeAll
        static void pushFixtures() {
            Requirements.requireTool("skopeo");
            TestImages images = new TestImages(fixtures);
            multi = images.multiLayer("multi", 3);
            Skopeo.push(multi, registry, "src/multi:1");
            fresh = images.multiLayer("fresh", 2);
        }

        private Engine engine() {
            return new LocalEngine(TestEngines.isolated(root).build());
        }

        private String ref(String repoTag) {
            return registry.host() + "/" + repoTag;
        }

        @Test
        void aPulledImagePushedToAnotherRepositoryIsMountedAndKeepsItsDigest() {
            try (Engine engine = engine()) {
                engine.images().pull(ref("src/multi:1"));
                Outcomes first = new Outcomes();
                PushResult result = push(engine, ref("src/multi:1"), ref("dst/multi:2"), first);
                assertThat(result.digest()).isEqualTo(multi.manifestDigest());
                assertThat(result.size()).isEqualTo(multi.manifest().size());
                assertThat(first.byDigest.values()).hasSize(4).containsOnly(PushListener.Outcome.MOUNTED);
                assertThat(first.mountedFrom.values()).containsOnly("src/multi");

                Outcomes again = new Outcomes();
                push(engine, ref("src/multi:1"), ref("dst/multi:2"), again);
                assertThat(again.byDigest.values()).hasSize(4).containsOnly(PushListener.Outcome.ALREADY_EXISTS);
            }
            JsonNode inspected = Skopeo.inspect(registry, "dst/multi:2");
            assertThat(inspected.get("Digest").asText()).isEqualTo(multi.manifestDigest());
            assertThat(registry.tags("dst/multi")).containsExactly("2");
        }

        @Test
        void anImageTheRegistryHasNeverSeenIsUploadedUnderItsOwnName() {
            try (Engine engine = engine()) {
                List<String> loaded = engine.images().load(fresh.layout());
                assertThat(loaded).containsExactly(fresh.configDigest());
                engine.images().tag(fresh.configDigest(), ref("fresh/app:1"));
                Outcomes outcomes = new Outcomes();
                PushResult result = push(engine, ref("fresh/app:1"), ref("fresh/app:1"), outcomes);
                assertThat(result.reference()).isEqualTo(ref("fresh/app:1"));
                assertThat(outcomes.byDigest.values()).hasSize(3).containsOnly(PushListener.Outcome.PUSHED);
            }
            Path copy = root.resolve("skopeo-copy"); // inside the test's own directory, deleted with it
            Skopeo.pull(registry, "fresh/app:1", copy, "1");
            assertThat(Skopeo.inspect(registry, "fresh/app:1").get("Digest").asText())
                    .isEqualTo(fresh.manifestDigest());
        }
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
        static void fixture() {
            Requirements.requireTool("skopeo");
            image = new TestImages(fixtures).singleLayer("img");
        }

        private Engine engine(String password) {
            return new LocalEngine(TestEngines.isolated(root)
                    .credentials(registry.host(), new Credentials("alice", password)).build());
        }

        @Test
        void wrongCredentialsFailWithAnAuthErrorAndRightOnesPush() {
            String target = registry.host() + "/private/app:1";
            try (Engine engine = engine("wrong")) {
                engine.images().load(image.layout());
                engine.images().tag(image.configDigest(), target);
                assertThatThrownBy(() -> engine.images().push(target))
                        .isInstanceOf(RegistryAuthException.class).hasMessageContaining("credentials were sent");
            }
            try (Engine engine = engine("secret")) {
                assertThat(engine.images().push(target).digest()).isEqualTo(image.manifestDigest());
            }
            assertThat(registry.tags("private/app")).containsExactly("1");
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
        static void fixture() {
            Requirements.requireTool("skopeo");
            image = new TestImages(fixtures).singleLayer("img");
            Skopeo.push(image, registry, "team/base:1");
        }

        @Test
        void pushAsksForPushScopeAndForPullOnTheMountSource() {
            try (Engine engine = new LocalEngine(TestEngines.isolated(root).sslContext(registry.sslContext())
                    .credentials(registry.host(), new Credentials("alice", "secret")).build())) {
                engine.images().pull(registry.host() + "/team/base:1");
                registry.tokenServer().clearRequests();
                Outcomes outcomes = new Outcomes();
                push(engine, registry.host() + "/team/base:1", registry.host() + "/team/app:1", outcomes);
                assertThat(outcomes.byDigest.values()).containsOnly(PushListener.Outcome.MOUNTED);
            }
            assertThat(registry.tokenServer().issuedScopes())
                    .contains("repository:team/app:pull,push", "repository:team/base:pull");
            assertThat(Skopeo.inspect(registry, "team/app:1").get("Digest").asText())
                    .isEqualTo(image.manifestDigest());
        }
    }
}
