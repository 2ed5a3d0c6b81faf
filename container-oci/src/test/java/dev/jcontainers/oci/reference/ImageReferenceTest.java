package dev.jcontainers.oci.reference;

import dev.jcontainers.api.InvalidReferenceException;
import dev.jcontainers.oci.image.Digest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class ImageReferenceTest {
    /** sha256 of the empty string. */
    static final String SHA256 = "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    static final String SHA512 = "sha512:cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce"
            + "47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e";
    static final String HEX64 = SHA256.substring("sha256:".length());

    static Stream<Arguments> validReferences() {
        return Stream.of(
                // text, registry, repository, tag, digest
                arguments("nginx", "docker.io", "library/nginx", "latest", null),
                arguments("nginx:1.25-alpine", "docker.io", "library/nginx", "1.25-alpine", null),
                arguments("library/nginx", "docker.io", "library/nginx", "latest", null),
                arguments("user/app:1", "docker.io", "user/app", "1", null),
                arguments("docker.io/nginx", "docker.io", "library/nginx", "latest", null),
                arguments("docker.io/library/nginx:latest", "docker.io", "library/nginx", "latest", null),
                arguments("index.docker.io/nginx", "docker.io", "library/nginx", "latest", null),
                arguments("index.docker.io/user/app:2", "docker.io", "user/app", "2", null),
                arguments("a/b/c/d", "docker.io", "a/b/c/d", "latest", null),
                arguments("ghcr.io/org/app:v2.1.0", "ghcr.io", "org/app", "v2.1.0", null),
                arguments("host:5000/a/b@" + SHA256, "host:5000", "a/b", null, SHA256),
                arguments("app:1.0@" + SHA256, "docker.io", "library/app", "1.0", SHA256),
                arguments("quay.io/org/app:1.0@" + SHA256, "quay.io", "org/app", "1.0", SHA256),
                arguments("example.com/app@" + SHA512, "example.com", "app", null, SHA512),
                arguments("example.com/app@blake3:" + HEX64, "example.com", "app", null, "blake3:" + HEX64),
                arguments("localhost/app", "localhost", "app", "latest", null),
                arguments("localhost:5000/app:dev", "localhost:5000", "app", "dev", null),
                arguments("127.0.0.1:5000/busybox:1.36", "127.0.0.1:5000", "busybox", "1.36", null),
                arguments("10.1.2.3/x", "10.1.2.3", "x", "latest", null),
                arguments("[::1]:5000/busybox", "[::1]:5000", "busybox", "latest", null),
                arguments("[2001:db8::1]/x/y:z", "[2001:db8::1]", "x/y", "z", null),
                arguments("my-registry.example.com:443/team/sub/app:2024.01.02_rc-1",
                        "my-registry.example.com:443", "team/sub/app", "2024.01.02_rc-1", null),
                arguments("Registry.Example.COM/app", "Registry.Example.COM", "app", "latest", null),
                // Docker's rule: an upper-case first component can only be a registry.
                arguments("Foo/bar", "Foo", "bar", "latest", null),
                // No slash, so "localhost" is the repository and "5000" the tag.
                arguments("localhost:5000", "docker.io", "library/localhost", "5000", null),
                arguments("docker.io", "docker.io", "library/docker.io", "latest", null),
                arguments("a__b/c---d.e_f:tag", "docker.io", "a__b/c---d.e_f", "tag", null),
                arguments("example.com/app:_start", "example.com", "app", "_start", null),
                arguments("example.com/app:" + "t".repeat(128), "example.com", "app", "t".repeat(128), null),
                // Only a bare 64-hex string is taken for an image ID.
                arguments(HEX64 + ":v1", "docker.io", "library/" + HEX64, "v1", null),
                arguments("docker.io/" + HEX64, "docker.io", "library/" + HEX64, "latest", null),
                arguments("example.com/" + "a".repeat(243), "example.com", "a".repeat(243), "latest", null));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("validReferences")
    void parsesValidReferences(String text, String registry, String repository, String tag, String digest) {
        ImageReference ref = ImageReference.parse(text);

        assertThat(ref.registry()).isEqualTo(registry);
        assertThat(ref.repository()).isEqualTo(repository);
        assertThat(ref.tag()).isEqualTo(tag);
        assertThat(ref.digest()).isEqualTo(digest);
        assertThat(ImageReference.parse(ref.toString())).isEqualTo(ref);
        assertThat(ImageReference.parse(ref.familiar())).isEqualTo(ref);
    }

    static Stream<Arguments> invalidReferences() {
        return Stream.of(
                // text, expected fragment of the reason
                arguments("", "reference is empty"),
                arguments(HEX64, "image ID"),
                arguments("Nginx", "must be lowercase: 'N' at index 0"),
                arguments("user/App", "must be lowercase: 'A' at index 5"),
                arguments("localhost:5000/Foo:tag", "must be lowercase"),
                arguments("nginx:", "empty tag after ':' at index 5"),
                arguments("nginx:latest@", "empty digest after '@' at index 12"),
                arguments("nginx@", "empty digest"),
                arguments(":tag", "missing repository name"),
                arguments("@" + SHA256, "missing repository name"),
                arguments("example.com/", "missing repository name"),
                arguments("nginx:.bad", "tag must start with a letter, digit or '_', not '.' (index 6)"),
                arguments("nginx:-bad", "tag must start"),
                arguments("nginx:" + "t".repeat(129), "tag is 129 characters long, at most 128"),
                arguments("nginx:a:b", "invalid character ':' at index 7 in tag"),
                arguments("ghcr.io/org/app:tag/x", "invalid character '/' at index 19 in tag"),
                arguments("nginx@sha256:abc", "digest has 3 hex digits"),
                arguments("nginx@sha256:xyz", "invalid character 'x' at index 13 in digest"),
                arguments("nginx@sha256:abcdef", "digest has 6 hex digits, at least 32"),
                arguments("nginx@sha256:" + HEX64.toUpperCase(), "64 lowercase hex"),
                arguments("nginx@sha256:" + HEX64.substring(1), "64 lowercase hex"),
                arguments("nginx@sha512:" + HEX64, "128 lowercase hex"),
                arguments("nginx@sha256", "not of the form algorithm:hex"),
                arguments("nginx@:" + HEX64, "lacks its algorithm"),
                arguments("nginx@1sha:" + HEX64, "invalid character '1' at index 6 in digest algorithm"),
                arguments("nginx@sha-:" + HEX64, "digest algorithm may not end with '-'"),
                arguments("nginx@" + SHA256 + "@" + SHA256, "invalid character '@'"),
                arguments("nginx@" + SHA256 + ":latest", "invalid character ':'"),
                arguments("a//b", "empty path component at index 2"),
                arguments("a/", "empty path component at index 2"),
                arguments("/a", "empty path component at index 0"),
                arguments("a..b", "invalid separator \"..\" at index 1"),
                arguments("a___b", "invalid separator \"___\""),
                arguments("a.-b", "invalid separator \".-\""),
                arguments("-a", "must start with a lowercase letter or digit"),
                arguments("user/a_", "must end with a lowercase letter or digit, not '_' (index 6)"),
                arguments("a b", "invalid character U+0020 at index 1"),
                arguments("ng!nx", "invalid character '!' at index 2 in repository name"),
                arguments("caf\u00e9", "invalid character U+00E9 at index 3"),
                arguments("app\t", "invalid character U+0009"),
                arguments("example.com:/app", "empty registry port after ':' at index 11"),
                arguments("example.com:50x0/app", "invalid character 'x' at index 14 in registry port"),
                arguments("foo:bar/baz", "invalid character 'b' at index 4 in registry port"),
                arguments("-example.com/app", "may not start or end with '-' (index 0)"),
                arguments("example-.com/app", "may not start or end with '-' (index 7)"),
                arguments("example..com/app", "empty registry host component at index 8"),
                arguments(".example.com/app", "empty registry host component at index 0"),
                arguments("exa_mple.com/app", "invalid character '_' at index 3 in registry host"),
                arguments("[::1/app", "lacks its closing ']'"),
                arguments("[]:5000/app", "empty IPv6 registry address"),
                arguments("[::g]:5000/app", "invalid character 'g' at index 3 in IPv6 registry address"),
                arguments("[::1]x:1/app", "invalid character 'x' at index 5 in registry host"),
                arguments("example.com/" + "a".repeat(244), "is 256 characters long, at most 255"),
                // Docker counts the normalised name: docker.io/library/ + 240 = 258.
                arguments("a".repeat(240), "is 258 characters long, at most 255"));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("invalidReferences")
    void rejectsMalformedReferencesWithAPreciseReason(String text, String reason) {
        assertThatThrownBy(() -> ImageReference.parse(text))
                .isExactlyInstanceOf(InvalidReferenceException.class)
                .hasMessageContaining(reason)
                .satisfies(e -> assertThat(((InvalidReferenceException) e).reference()).isEqualTo(text));
        assertThat(ImageReference.tryParse(text)).isEmpty();
    }

    @Test
    void rejectsNull() {
        assertThatThrownBy(() -> ImageReference.parse(null))
                .isExactlyInstanceOf(InvalidReferenceException.class)
                .hasMessageContaining("reference is null");
        assertThat(ImageReference.tryParse(null)).isEmpty();
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', textBlock = """
            nginx                   | docker.io/library/nginx:latest | nginx:latest
            user/app:1              | docker.io/user/app:1           | user/app:1
            docker.io/library/a/b   | docker.io/library/a/b:latest   | library/a/b:latest
            docker.io/my.org/app    | docker.io/my.org/app:latest    | docker.io/my.org/app:latest
            docker.io/localhost/app | docker.io/localhost/app:latest | docker.io/localhost/app:latest
            library/foo.bar         | docker.io/library/foo.bar:latest | foo.bar:latest
            ghcr.io/org/app:v2      | ghcr.io/org/app:v2             | ghcr.io/org/app:v2
            [::1]:5000/app          | [::1]:5000/app:latest          | [::1]:5000/app:latest
            """)
    void formatsCanonicalAndFamiliarForms(String text, String canonical, String familiar) {
        ImageReference ref = ImageReference.parse(text);

        assertThat(ref.toString()).isEqualTo(canonical);
        assertThat(ref.familiar()).isEqualTo(familiar);
    }

    @Test
    void formatsTagAndDigestTogether() {
        ImageReference ref = ImageReference.parse("app:1.0@" + SHA256);

        assertThat(ref.toString()).isEqualTo("docker.io/library/app:1.0@" + SHA256);
        assertThat(ref.familiar()).isEqualTo("app:1.0@" + SHA256);
        assertThat(ref.name()).isEqualTo("docker.io/library/app");
        assertThat(ref.reference()).isEqualTo(SHA256);
        assertThat(ref.isDigested()).isTrue();
    }

    @Test
    void referenceIsTheTagWhenNotDigested() {
        ImageReference ref = ImageReference.parse("127.0.0.1:5000/busybox:1.36");

        assertThat(ref.reference()).isEqualTo("1.36");
        assertThat(ref.isDigested()).isFalse();
        assertThat(ref.name()).isEqualTo("127.0.0.1:5000/busybox");
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource({
            "nginx, registry-1.docker.io",
            "index.docker.io/user/app, registry-1.docker.io",
            "ghcr.io/org/app, ghcr.io",
            "localhost:5000/app, localhost:5000",
            "[::1]:5000/app, [::1]:5000"})
    void apiHostIsRegistry1ForDockerHub(String text, String apiHost) {
        assertThat(ImageReference.parse(text).apiHost()).isEqualTo(apiHost);
    }

    @ParameterizedTest(name = "[{index}] {0} -> {1}")
    @CsvSource({
            "localhost/app, true",
            "localhost:5000/app, true",
            "LocalHost:5000/app, true",
            "127.0.0.1/app, true",
            "127.0.0.1:5000/app, true",
            "127.255.3.4:80/app, true",
            "[::1]/app, true",
            "[::1]:5000/app, true",
            "[0:0:0:0:0:0:0:1]:5000/app, true",
            "[::0:0001]/app, true",
            "[::]/app, false",
            "[::2]:5000/app, false",
            "[1::]/app, false",
            "128.0.0.1:5000/app, false",
            "127.0.0.1.example.com/app, false",
            "localhost.example.com/app, false",
            "10.0.0.1:5000/app, false",
            "nginx, false",
            "ghcr.io/org/app, false"})
    void recognisesLoopbackRegistries(String text, boolean loopback) {
        assertThat(ImageReference.parse(text).isLoopbackRegistry()).isEqualTo(loopback);
    }

    @Test
    void withersKeepTheOtherParts() {
        ImageReference tagged = ImageReference.parse("ghcr.io/org/app:1");

        assertThat(tagged.withTag("2")).hasToString("ghcr.io/org/app:2");
        assertThat(tagged.withDigest(SHA256)).hasToString("ghcr.io/org/app:1@" + SHA256);
        assertThat(tagged.withDigest(Digest.parse(SHA256))).isEqualTo(tagged.withDigest(SHA256));
        assertThat(tagged.withDigest(SHA256).withoutTag()).hasToString("ghcr.io/org/app@" + SHA256);
        assertThat(tagged.withDigest(SHA256).withTag("3")).hasToString("ghcr.io/org/app:3@" + SHA256);
        // Without a digest, dropping the tag means what the bare name means: latest.
        assertThat(tagged.withoutTag()).hasToString("ghcr.io/org/app:latest");
    }

    @Test
    void withersValidateTheirArgument() {
        ImageReference ref = ImageReference.parse("ghcr.io/org/app:1");

        assertThatThrownBy(() -> ref.withTag("bad tag"))
                .isExactlyInstanceOf(InvalidReferenceException.class)
                .hasMessageContaining("invalid character U+0020 at index 19 in tag");
        assertThatThrownBy(() -> ref.withDigest("sha256:1234"))
                .isExactlyInstanceOf(InvalidReferenceException.class)
                .hasMessageContaining("at least 32");
    }

    @Test
    void constructorNormalisesLikeParse() {
        assertThat(new ImageReference("docker.io", "nginx", null, null)).isEqualTo(ImageReference.parse("nginx"));
        assertThat(new ImageReference("index.docker.io", "user/app", "1", null))
                .isEqualTo(ImageReference.parse("user/app:1"));
        assertThat(new ImageReference("ghcr.io", "org/app", null, SHA256).tag()).isNull();
    }

    @Test
    void constructorRejectsWhatParseWouldNotReadBack() {
        assertThatThrownBy(() -> new ImageReference("myhost", "app", "1", null))
                .isExactlyInstanceOf(InvalidReferenceException.class)
                .hasMessageContaining("would be read as a Docker Hub namespace");
        assertThatThrownBy(() -> new ImageReference(null, "app", "1", null))
                .isExactlyInstanceOf(InvalidReferenceException.class)
                .hasMessageContaining("missing registry");
        assertThatThrownBy(() -> new ImageReference("ghcr.io", null, "1", null))
                .isExactlyInstanceOf(InvalidReferenceException.class)
                .hasMessageContaining("missing repository name");
        assertThatThrownBy(() -> new ImageReference("ghcr.io", "Org/app", "1", null))
                .isExactlyInstanceOf(InvalidReferenceException.class)
                .hasMessageContaining("must be lowercase: 'O' at index 8");
        assertThatThrownBy(() -> new ImageReference("ghcr.io", "org/app", "", null))
                .isExactlyInstanceOf(InvalidReferenceException.class)
                .hasMessageContaining("empty tag");
    }
}
