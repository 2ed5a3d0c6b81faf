package dev.jcontainers.core.network;

import dev.jcontainers.api.Container;
import dev.jcontainers.api.ContainerStatus;
import dev.jcontainers.api.NetworkInfo;
import dev.jcontainers.api.NetworkMode;
import dev.jcontainers.core.LocalEngine;
import dev.jcontainers.core.container.RuntimeTest;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Real containers on real bridges, as root. Safety: every network here has a /24 inside 10.213.0.0/16, a
 * range no network of this machine uses (checked by the engine against the host's addresses); nothing
 * enables forwarding or adds NAT, so no packet can leave the machine; the only traffic is between the
 * test's containers and from the host to a container's address on the test's bridge. Every bridge and veth
 * is removed after the class, also when a test failed.
 */
@RuntimeTest(repo = "net/busybox")
class BridgeNetworkingTest {
    static LocalEngine engine;
    @RuntimeTest.Image
    static String image;
    static final List<String> bridges = new ArrayList<>();
    static final int THIRD_OCTET = ThreadLocalRandom.current().nextInt(0, 200);
    static int nextSubnet;

    /** The engine has closed: its networks are removed, and with them their bridges. */
    @RuntimeTest.AfterClose
    static void removeNetworks() {
        TestNetworks.removeAll(engine, bridges);
    }

    /** A fresh network with a /24 of 10.213.0.0/16 of this run's own. */
    private static synchronized NetworkInfo network(String name, boolean internal) {
        String subnet = "10.213." + (THIRD_OCTET + nextSubnet++) + ".0/24";
        NetworkInfo n = engine.networks().create(name + "-" + THIRD_OCTET, subnet, null, internal);
        bridges.add(n.bridge());
        return n;
    }

    private Container start(String name, NetworkMode network, String script) {
        return engine.containers().builder().image(image).name(name).network(network).command("sh", "-c", script)
                .start();
    }

    /**
     * A listener that stores what one client sends in /tmp/{@code file}. Not a plain {@code nc -l}: busybox's nc
     * shuts the connection down once its own stdin (/dev/null here) ends, and a client that sees that before it
     * has read its input exits without sending anything.
     */
    private static String receiveOn(int port, String file) {
        return "nc -l -p " + port + " -e sh -c 'cat > /tmp/" + file + "'";
    }

    private static String sendTo(String host, String message) {
        return sendTo(host, 8080, message);
    }

    private static String sendTo(String host, int port, String message) {
        return "i=0; while [ $i -lt 100 ]; do echo " + message + " | nc " + host + " " + port + " && exit 0; "
                + "i=$((i+1)); sleep 0.05; done; exit 1";
    }

    @Test
    void twoContainersOnAUserNetworkTalkTcpByNameAndByAddress() {
        NetworkInfo net = network("talk", true);
        NetworkMode mode = NetworkMode.bridge(net.name());
        String serverName = "server-" + THIRD_OCTET;
        // One listener per client: a second `nc -l` on the same port races with the first one's backlog.
        try (Container server = start(serverName, mode, receiveOn(8080, "a") + " & " + receiveOn(8081, "b")
                + "; wait; cat /tmp/a /tmp/b")) {
            String serverIp = engine.networks().addressOf(server.id()).orElseThrow();
            try (Container byName = start("by-name-" + THIRD_OCTET, mode, sendTo(serverName, 8080, "hello-by-name"))) {
                assertThat(byName.waitFor(Duration.ofSeconds(20))).as(byName.logs().stderr()).isZero();
            }
            try (Container byIp = start("by-ip-" + THIRD_OCTET, mode, sendTo(serverIp, 8081, "hello-by-ip"))) {
                assertThat(byIp.waitFor(Duration.ofSeconds(20))).as(byIp.logs().stderr()).isZero();
            }
            assertThat(server.waitFor(Duration.ofSeconds(20))).isZero();
            assertThat(server.logs().stdout().lines().toList())
                    .containsExactlyInAnyOrder("hello-by-name", "hello-by-ip");
        }
        assertThat(engine.networks().inspect(net.id()).endpoints()).isEmpty();
    }

    @Test
    void theContainerHasEth0WithItsAddressAndADefaultRouteViaTheGatewayAndTheHostReachesIt() throws Exception {
        NetworkInfo net = network("wired", false);
        try (Container c = start("wired-" + THIRD_OCTET, NetworkMode.bridge(net.name()),
                "ip -4 -o addr show eth0; ip -o link show eth0; ip -o link show lo; ip route; cat /etc/hosts; "
                        + "echo pong | nc -l -p 8080")) {
            String ip = engine.networks().addressOf(c.id()).orElseThrow();
            assertThat(ip).startsWith(net.subnet().substring(0, net.subnet().lastIndexOf('.')));
            assertThat(readWithRetry(ip, 8080)).isEqualTo("pong\n");
            assertThat(c.waitFor(Duration.ofSeconds(20))).isZero();
            String out = c.logs().stdout();
            assertThat(out).contains("inet " + ip + "/24").contains("mtu 1500").contains("default via " + net.gateway() + " dev eth0")
                    .contains(ip + "\twired-" + THIRD_OCTET);
            assertThat(out.lines().filter(l -> l.contains(": lo:"))).singleElement().asString().contains("UP");
            assertThat(engine.networks().inspect(net.name()).endpoints()).singleElement()
                    .satisfies(e -> assertThat(e.connected()).isFalse());
        }
    }

    @Test
    void anInternalNetworkHasNoDefaultRoute() {
        NetworkInfo net = network("internal", true);
        try (Container c = start("internal-" + THIRD_OCTET, NetworkMode.bridge(net.name()), "ip route")) {
            assertThat(c.waitFor(Duration.ofSeconds(20))).isZero();
            assertThat(c.logs().stdout()).doesNotContain("default").contains("dev eth0");
        }
    }

    @Test
    void networkNoneHasOnlyLoopbackAndItIsUp() {
        try (Container c = start("none-" + THIRD_OCTET, NetworkMode.none(), "ip -o link; ip -4 -o addr")) {
            assertThat(c.waitFor(Duration.ofSeconds(20))).isZero();
            List<String> links = c.logs().stdout().lines().filter(l -> l.matches("\\d+: [^ ]+: <.*")).toList();
            assertThat(links).singleElement().asString().contains(": lo:").contains("UP");
            assertThat(c.logs().stdout()).contains("127.0.0.1/8");
        }
    }

    @Test
    void removingAContainerRemovesItsVethAndReleasesItsAddress() {
        NetworkInfo net = network("release", true);
        NetworkMode mode = NetworkMode.bridge(net.name());
        Container c = start("release-" + THIRD_OCTET, mode, "sleep 30");
        String ip = engine.networks().addressOf(c.id()).orElseThrow();
        assertThat(TestNetworks.portsOf(net.bridge())).hasSize(1);
        assertThat(c.status()).isEqualTo(ContainerStatus.RUNNING);
        c.remove(true);
        assertThat(TestNetworks.portsOf(net.bridge())).isEmpty();
        assertThat(engine.networks().inspect(net.name()).endpoints()).isEmpty();
        try (Container next = start("reuse-" + THIRD_OCTET, mode, "true")) {
            assertThat(engine.networks().addressOf(next.id())).hasValue(ip);
        }
    }

    @Test
    void twentyContainersGetDistinctAddressesAndReachEachOthersNames() throws Exception {
        NetworkInfo net = network("many", true);
        NetworkMode mode = NetworkMode.bridge(net.name());
        List<Container> started = new ArrayList<>();
        try {
            Set<String> addresses = new HashSet<>();
            StringBuilder names = new StringBuilder();
            for (int i = 0; i < 20; i++) {
                Container c = start("many" + i + "-" + THIRD_OCTET, mode, "sleep 30");
                started.add(c);
                addresses.add(engine.networks().addressOf(c.id()).orElseThrow());
                names.append(" many").append(i).append('-').append(THIRD_OCTET);
            }
            assertThat(addresses).hasSize(20);
            assertThat(TestNetworks.portsOf(net.bridge())).hasSize(20);
            Container prober = start("prober-" + THIRD_OCTET, mode,
                    "for n in" + names + "; do ping -c 1 -W 2 $n > /dev/null || echo unreachable $n; done; echo done");
            started.add(prober);
            // polls the log rather than waitFor, and removes the oldest containers first: at present an exit is
            // observed only once the containers started before it have exited too (a launcher issue, reproduced
            // with network none and host as well)
            awaitLog(prober, "done");
            assertThat(prober.logs().stdout()).isEqualTo("done\n");
        } finally {
            started.forEach(Container::close); // oldest first, see above
        }
        assertThat(TestNetworks.portsOf(net.bridge())).isEmpty();
    }

    @Test
    void aContainerJoinsAnotherContainersNetworkNamespace() throws Exception {
        NetworkInfo net = network("shared", true);
        try (Container owner = start("owner-" + THIRD_OCTET, NetworkMode.bridge(net.name()),
                receiveOn(8080, "got") + "; cat /tmp/got")) {
            String ownerNs = Files.readSymbolicLink(Path.of("/proc", Long.toString(owner.inspect().pid()), "ns/net")).toString();
            try (Container guest = start("guest-" + THIRD_OCTET, new NetworkMode.Container(owner.name()),
                    "readlink /proc/self/ns/net; " + sendTo("127.0.0.1", "via-loopback"))) {
                assertThat(guest.waitFor(Duration.ofSeconds(20))).isZero();
                assertThat(guest.logs().stdout().lines().findFirst()).hasValue(ownerNs);
            }
            assertThat(owner.waitFor(Duration.ofSeconds(20))).isZero();
            assertThat(owner.logs().stdout()).isEqualTo("via-loopback\n");
        }
    }

    private static void awaitLog(Container c, String last) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!c.logs().stdout().contains(last) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
    }

    private static String readWithRetry(String ip, int port) throws Exception {
        for (int attempt = 0; ; attempt++) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(ip, port), 2000);
                s.setSoTimeout(5000);
                try (InputStream in = s.getInputStream()) {
                    return new String(in.readAllBytes(), StandardCharsets.UTF_8);
                }
            } catch (IOException e) {
                if (attempt == 100) {
                    throw e;
                }
                Thread.sleep(50);
            }
        }
    }
}
