package dev.jcontainers.core.network;

import dev.jcontainers.api.NetworkMode;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ResolvConfTest {
    static final List<String> HOST = List.of("# generated", "nameserver 127.0.0.53", "nameserver 192.0.2.53",
            "search corp.example", "options edns0 trust-ad");

    @Test
    void aUserDefinedNetworkUsesTheEmbeddedServerWithTheHostsSearchDomains() {
        assertThat(ResolvConf.render(NetworkMode.bridge("app"), HOST))
                .isEqualTo("nameserver 127.0.0.11\n# generated\nsearch corp.example\noptions ndots:0\n");
    }

    @Test
    void theDefaultBridgeUsesTheHostsServersWithoutLoopbackOnes() {
        assertThat(ResolvConf.render(NetworkMode.bridge(), HOST))
                .isEqualTo("# generated\nnameserver 192.0.2.53\nsearch corp.example\noptions edns0 trust-ad\n");
    }

    @Test
    void theHostNetworkKeepsTheHostsFile() {
        assertThat(ResolvConf.render(NetworkMode.host(), HOST)).isEqualTo(String.join("\n", HOST) + "\n");
    }
}
