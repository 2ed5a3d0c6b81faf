package dev.jcontainers.core.network;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SubnetTest {

    @Test
    void parsesAndFormatsCidr() {
        Subnet s = Subnet.parse("10.78.0.0/16");
        assertThat(s.toString()).isEqualTo("10.78.0.0/16");
        assertThat(Subnet.format(s.firstHost())).isEqualTo("10.78.0.1");
        assertThat(Subnet.format(s.broadcast())).isEqualTo("10.78.255.255");
        assertThat(s.contains(Subnet.parseAddress("10.78.200.3"))).isTrue();
        assertThat(s.contains(Subnet.parseAddress("10.79.0.1"))).isFalse();
    }

    @Test
    void overlapIsSymmetricAndCoversNesting() {
        Subnet big = Subnet.parse("10.78.0.0/16");
        Subnet inside = Subnet.parse("10.78.4.0/24");
        Subnet beside = Subnet.parse("10.79.0.0/16");
        assertThat(big.overlaps(inside)).isTrue();
        assertThat(inside.overlaps(big)).isTrue();
        assertThat(big.overlaps(beside)).isFalse();
    }

    @Test
    void refusesHostBitsIpv6AndNonsense() {
        assertThatThrownBy(() -> Subnet.parse("10.78.0.1/16")).hasMessageContaining("host bits");
        assertThatThrownBy(() -> Subnet.parse("fd00::/64")).hasMessageContaining("IPv4");
        for (String bad : List.of("10.78.0.0", "10.78.0.0/x", "10.78.0.0/31", "example.com/24")) {
            assertThatThrownBy(() -> Subnet.parse(bad)).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
