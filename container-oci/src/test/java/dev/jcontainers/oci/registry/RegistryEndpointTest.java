package dev.jcontainers.oci.registry;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RegistryEndpointTest {

    private static URI base(String registry, String... insecure) {
        return RegistryEndpoint.of(registry, Set.of(insecure)).base();
    }

    @Test
    void dockerHubNameMapsToItsApiHost() {
        assertThat(base("docker.io")).isEqualTo(URI.create("https://registry-1.docker.io/"));
        assertThat(base("index.docker.io")).isEqualTo(URI.create("https://registry-1.docker.io/"));
    }

    @Test
    void httpsUnlessLoopbackOrInsecure() {
        assertThat(base("ghcr.io")).isEqualTo(URI.create("https://ghcr.io/"));
        assertThat(base("registry.example:5000")).isEqualTo(URI.create("https://registry.example:5000/"));
        assertThat(base("registry.example:5000", "registry.example:5000"))
                .isEqualTo(URI.create("http://registry.example:5000/"));
        assertThat(base("127.0.0.1:5000")).isEqualTo(URI.create("http://127.0.0.1:5000/"));
        assertThat(base("127.3.2.1")).isEqualTo(URI.create("http://127.3.2.1/"));
        assertThat(base("localhost:5000")).isEqualTo(URI.create("http://localhost:5000/"));
        assertThat(base("[::1]:5000")).isEqualTo(URI.create("http://[::1]:5000/"));
        assertThat(base("localhost.example.com")).isEqualTo(URI.create("https://localhost.example.com/"));
        assertThat(base("128.0.0.1")).isEqualTo(URI.create("https://128.0.0.1/"));
    }

    @Test
    void apiPathsAreBelowV2() {
        assertThat(RegistryEndpoint.of("127.0.0.1:5000", Set.of()).api("library/busybox/manifests/1.36"))
                .isEqualTo(URI.create("http://127.0.0.1:5000/v2/library/busybox/manifests/1.36"));
    }

    @Test
    void rejectsNamesThatAreNotHostPort() {
        assertThatThrownBy(() -> RegistryEndpoint.of("docker.io/library", Set.of()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RegistryEndpoint.of(" ", Set.of())).isInstanceOf(IllegalArgumentException.class);
    }
}
