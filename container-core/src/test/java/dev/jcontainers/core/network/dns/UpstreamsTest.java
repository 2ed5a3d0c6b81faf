package dev.jcontainers.core.network.dns;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The engine checks its DNS servers when it opens, though it makes their resolver only when a container needs it. */
class UpstreamsTest {
    @Test
    void ipAddressesPassTheCheck() {
        assertThatCode(() -> Upstreams.check(List.of("192.0.2.53", "2001:db8::53"))).doesNotThrowAnyException();
    }

    @Test
    void aHostNameIsRefusedWithTheOffendingEntry() {
        assertThatThrownBy(() -> Upstreams.check(List.of("192.0.2.53", "dns.example")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must be an IP address").hasMessageContaining("dns.example");
    }
}
