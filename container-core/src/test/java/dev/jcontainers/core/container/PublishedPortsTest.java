package dev.jcontainers.core.container;

import dev.jcontainers.api.ContainerException;
import dev.jcontainers.api.ContainerSpec;
import dev.jcontainers.api.Containers;
import dev.jcontainers.api.NetworkMode;
import dev.jcontainers.api.PortBinding;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code -p} in Docker's syntax, and how {@code -p}, {@code -P} and the network mode combine. */
class PublishedPortsTest {

    @Test
    void parsesDockersPublishSyntax() {
        assertThat(PortBinding.parse("80")).isEqualTo(new PortBinding(null, 0, 80, "tcp"));
        assertThat(PortBinding.parse("8080:80")).isEqualTo(new PortBinding(null, 8080, 80, "tcp"));
        assertThat(PortBinding.parse("127.0.0.1:8080:80")).isEqualTo(new PortBinding("127.0.0.1", 8080, 80, "tcp"));
        assertThat(PortBinding.parse("127.0.0.1::80/udp")).isEqualTo(new PortBinding("127.0.0.1", 0, 80, "udp"));
        assertThat(PortBinding.parse("0.0.0.0:53:53/udp")).isEqualTo(new PortBinding(null, 53, 53, "udp"));
        assertThat(PortBinding.parse("8080:80").toString()).isEqualTo("0.0.0.0:8080->80/tcp");
    }

    @Test
    void refusesWhatDockerRefuses() {
        for (String bad : new String[]{"", "http", "80/sctp", "70000:80", "8080:0", "300.1.1.1:80:80", "a:80", "80:"}) {
            assertThatThrownBy(() -> PortBinding.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void publishAllAddsTheImagesExposedPortsThatNoPublishBinds() {
        Map<String, Object> exposed = new LinkedHashMap<>();
        exposed.put("80/tcp", Map.of());
        exposed.put("53/udp", Map.of());
        exposed.put("9000", Map.of());
        ContainerSpec spec = spec(NetworkMode.bridge()).publish("127.0.0.1:8080:80").publishAllPorts().build();
        assertThat(PublishedPorts.resolve(spec, exposed)).containsExactly(new PortBinding("127.0.0.1", 8080, 80, "tcp"),
                new PortBinding(null, 0, 53, "udp"), new PortBinding(null, 0, 9000, "tcp"));
        assertThat(PublishedPorts.resolve(spec(NetworkMode.bridge()).publish("8080:80").build(), exposed))
                .as("without -P the image's ports stay unpublished").containsExactly(new PortBinding(null, 8080, 80, "tcp"));
    }

    @Test
    void theNetworkModeDecidesWhetherPortsArePublished() {
        assertThat(PublishedPorts.resolve(spec(NetworkMode.host()).publish("80").build(), null))
                .as("the host's network: the container binds host ports itself").isEmpty();
        assertThat(PublishedPorts.resolve(spec(NetworkMode.none()).publish("80").build(), null)).isEmpty();
        assertThatThrownBy(() -> PublishedPorts.resolve(spec(new NetworkMode.Container("other")).publish("80").build(), null))
                .isInstanceOf(ContainerException.class).hasMessageContaining("conflicting options");
        assertThatThrownBy(() -> PublishedPorts.resolve(spec(NetworkMode.bridge()).publishAllPorts().build(),
                Map.of("80/sctp", Map.of()))).isInstanceOf(ContainerException.class).hasMessageContaining("80/sctp");
    }

    private static dev.jcontainers.api.ContainerBuilder spec(NetworkMode mode) {
        return Containers.builder().image("busybox").network(mode);
    }
}
