package dev.jcontainers.core.network;

import dev.jcontainers.api.Container;
import dev.jcontainers.api.NetworkInfo;
import dev.jcontainers.api.NetworkMode;
import dev.jcontainers.api.NetworkSpec;
import dev.jcontainers.core.LocalEngine;
import dev.jcontainers.core.container.RuntimeTest;
import dev.jcontainers.linux.net.NetlinkSession;
import dev.jcontainers.linux.net.NetworkNamespace;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * macvlan networks on a parent link that lives in a network namespace this test creates: the engine's calls
 * run on a thread inside that namespace (as an engine running in a network namespace would), so the host's
 * own links are never involved. The parent is one end of a veth pair whose other end is up and unused there
 * (this kernel has no dummy links); containers on it reach only each other (macvlan bridge mode) and that
 * namespace. The namespace, with its links, goes after the class.
 */
@RuntimeTest(repo = "macvlan/busybox")
class MacvlanNetworkTest {
    static LocalEngine engine;
    @RuntimeTest.Image
    static String image;
    static NetworkNamespace lab;
    static final String PARENT = "jcparent0";
    static final String SUFFIX = "-" + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x1000, 0xffff));
    static final String SUBNET = "10.213." + ThreadLocalRandom.current().nextInt(0, 250) + ".0/24";

    @BeforeAll
    static void setUp() throws Exception {
        engine.images().pull(image); // from here: the registry listens on the host's loopback, not the lab's
        lab = NetworkNamespace.create();
        lab.call(() -> {
            try (NetlinkSession s = NetlinkSession.open()) {
                s.createVethPair(PARENT, "jcpeer0");
                s.setLinkUp("jcpeer0");
                s.setLinkUp(PARENT);
            }
            return null;
        });
    }

    @RuntimeTest.AfterClose
    static void closeLab() {
        if (lab != null) {
            lab.close();
        }
    }

    @Test
    void twoContainersOnAMacvlanNetworkTalkByName() throws Exception {
        NetworkInfo net = lab.call(() -> engine.networks().create(NetworkSpec.macvlan("mv" + SUFFIX, PARENT, SUBNET)));
        assertThat(net.driver()).isEqualTo("macvlan");
        assertThat(net.bridge()).isNull();
        assertThat(net.options()).isEqualTo(Map.of("parent", PARENT));
        NetworkMode mode = NetworkMode.bridge(net.name());
        lab.call(() -> {
            try (Container server = start("mv-server", mode,
                    "ip -o link show eth0; nc -l -p 3000 -e sh -c 'cat > /tmp/got'; cat /tmp/got");
                 Container client = start("mv-client", mode, "i=0; while [ $i -lt 100 ]; do echo over-macvlan | nc "
                         + "mv-server" + SUFFIX + " 3000 && exit 0; i=$((i+1)); sleep 0.05; done; exit 1")) {
                assertThat(client.waitFor(Duration.ofSeconds(20))).as(client.logs().stderr()).isZero();
                assertThat(server.waitFor(Duration.ofSeconds(20))).isZero();
                assertThat(server.logs().stdout()).contains("macvlan").contains("over-macvlan\n");
                assertThat(engine.networks().inspect(net.name()).endpoints()).hasSize(2);
            }
            return null;
        });
        assertThat(engine.networks().inspect(net.name()).endpoints()).isEmpty();
        engine.networks().remove(net.name());
    }

    @Test
    void aMacvlanNetworkNeedsAnExistingParentAndASubnet() throws Exception {
        assertThatThrownBy(() -> lab.call(() -> engine.networks().create(
                NetworkSpec.macvlan("nope" + SUFFIX, "jcmissing0", "10.213.251.0/24"))))
                .hasMessageContaining("jcmissing0");
        assertThatThrownBy(() -> new NetworkSpec("x", "macvlan", null, null, false, Map.of("parent", PARENT)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("subnet");
        assertThatThrownBy(() -> new NetworkSpec("x", "macvlan", SUBNET, null, false, Map.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("parent");
        assertThatThrownBy(() -> new NetworkSpec("x", "overlay", null, null, false, Map.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("overlay");
    }

    private static Container start(String name, NetworkMode network, String script) {
        return engine.containers().builder().image(image).name(name + SUFFIX).network(network)
                .command("sh", "-c", script).start();
    }
}
