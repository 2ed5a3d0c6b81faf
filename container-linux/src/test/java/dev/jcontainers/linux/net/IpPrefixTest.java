package dev.jcontainers.linux.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;

import org.junit.jupiter.api.Test;

class IpPrefixTest {

    @Test
    void parsesV4AndV6AndClearsHostBits() {
        IpPrefix v4 = IpPrefix.parse("10.213.0.7/24");
        assertThat(v4.isIpv4()).isTrue();
        assertThat(v4.network()).isEqualTo(IpPrefix.parse("10.213.0.0/24"));
        assertThat(IpPrefix.parse("fd00:6a63::5/64").network()).hasToString("fd00:6a63:0:0:0:0:0:0/64");
        assertThat(IpPrefix.parse("10.213.0.9")).isEqualTo(IpPrefix.parse("10.213.0.9/32"));
        assertThat(IpPrefix.parse("10.213.0.9/20").network()).hasToString("10.213.0.0/20");
    }

    @Test
    void containsOnlyAddressesOfTheSameFamilyInside() {
        IpPrefix p = IpPrefix.parse("10.213.0.0/24");
        assertThat(p.contains(InetAddress.ofLiteral("10.213.0.200"))).isTrue();
        assertThat(p.contains(InetAddress.ofLiteral("10.213.1.1"))).isFalse();
        assertThat(p.contains(InetAddress.ofLiteral("::ffff:10.213.0.9"))).as("Java reads IPv4-mapped as IPv4").isTrue();
        assertThat(IpPrefix.parse("fd00:6a63::/64").contains(InetAddress.ofLiteral("10.213.0.1"))).isFalse();
    }

    @Test
    void defaultRoutesAndBadLengths() {
        assertThat(IpPrefix.defaultRoute(InetAddress.ofLiteral("10.213.0.1"))).hasToString("0.0.0.0/0");
        assertThat(IpPrefix.defaultRoute(InetAddress.ofLiteral("fd00::1")).isDefault()).isTrue();
        assertThatThrownBy(() -> IpPrefix.parse("10.0.0.0/33")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> IpPrefix.parse("fd00::/129")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> IpPrefix.parse("not-an-address/8")).isInstanceOf(IllegalArgumentException.class);
    }
}
