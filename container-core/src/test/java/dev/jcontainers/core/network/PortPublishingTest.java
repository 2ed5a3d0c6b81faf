package dev.jcontainers.core.network;

import dev.jcontainers.api.Container;
import dev.jcontainers.api.ContainerException;
import dev.jcontainers.api.ExecResult;
import dev.jcontainers.api.NetworkInfo;
import dev.jcontainers.api.NetworkMode;
import dev.jcontainers.api.PortAllocatedException;
import dev.jcontainers.api.PortBinding;
import dev.jcontainers.core.LocalEngine;
import dev.jcontainers.core.container.RuntimeTest;
import dev.jcontainers.linux.ffm.Nftables;
import dev.jcontainers.linux.net.NetlinkSession;
import dev.jcontainers.linux.net.NetworkNamespace;
import dev.jcontainers.linux.net.Sysctl;
import dev.jcontainers.linux.net.nft.NatTable;
import dev.jcontainers.testkit.Requirements;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Port publishing and outbound NAT with real containers, nftables and veths. Safety: this class only runs in
 * surefire's {@code private-netns} execution, whose JVM lives in a network namespace of its own (checked
 * below; it refuses to run in the host's), so the engine's NAT table, forwarding switch and bridges exist only
 * there and vanish with the JVM. The "outside world" is one more namespace this class creates, linked to the
 * JVM's by a veth on 10.213.250.0/24 and with no route back to any container subnet: a reply reaches a
 * container only if its traffic was masqueraded. Networks use /24s of 10.213.0.0/16.
 */
@Tag("private-netns")
@RuntimeTest(repo = "ports/busybox")
class PortPublishingTest {
    private static final String OUTSIDE_LINK = "jcout0";
    private static final InetAddress OUTSIDE_HOST_SIDE = InetAddress.ofLiteral("10.213.250.1");
    private static final InetAddress OUTSIDE_PEER = InetAddress.ofLiteral("10.213.250.2");
    private static final int THIRD_OCTET = ThreadLocalRandom.current().nextInt(0, 200);
    private static final String SERVER = "while true; do echo pong | nc -l -p 80; done";

    static LocalEngine engine;
    @RuntimeTest.Image
    static String image;
    static NetworkNamespace outside;
    static int nextSubnet;

    @RuntimeTest.Root
    static Path root;

    @BeforeAll
    static void setUp() throws Exception {
        Requirements.require(inPrivateNetworkNamespace(), "not in a network namespace of its own: runs only in "
                + "surefire's private-netns execution (needs unshare and ip)");
        Requirements.require(Nftables.available(), Nftables.LIBRARY + " is not installed (package nftables)");
        assertThat(engine.networks().natEnabled()).isTrue();
        outside = NetworkNamespace.create();
        try (NetlinkSession host = NetlinkSession.open()) {
            host.createVethPair(OUTSIDE_LINK, "eth0", 1500, outside.fd());
            host.addAddress(OUTSIDE_LINK, OUTSIDE_HOST_SIDE, 24);
            host.setLinkUp(OUTSIDE_LINK);
        }
        try (NetlinkSession peer = outside.openSession()) {
            peer.addAddress("eth0", OUTSIDE_PEER, 24);
            peer.setLinkUp("lo");
            peer.setLinkUp("eth0");
        }
    }

    /** The engine has closed: its networks are removed, then nothing of theirs may be left in the NAT table. */
    @RuntimeTest.AfterClose
    static void removeNetworks() {
        try {
            TestNetworks.removeAll(engine);
            String table = NatTable.describe();
            assertThat(table).as("no mapping or network outlives its container").doesNotContain("elements");
        } finally {
            if (outside != null) {
                outside.close(); // takes the veth with it
            }
        }
    }

    /** The launcher script names the namespace it left in JC_HOST_NETNS before it made ours. */
    private static boolean inPrivateNetworkNamespace() throws IOException {
        String host = System.getenv("JC_HOST_NETNS");
        return host != null && !host.isEmpty()
                && !Files.readSymbolicLink(Path.of("/proc/self/ns/net")).toString().equals(host);
    }

    private static synchronized NetworkInfo network(String name, boolean internal) {
        return engine.networks().create(name + "-" + THIRD_OCTET,
                "10.213." + (THIRD_OCTET + nextSubnet++) + ".0/24", null, internal);
    }

    private static Container server(NetworkInfo net, String... publish) {
        var b = engine.containers().builder().image(image).network(NetworkMode.bridge(net.name()))
                .command("sh", "-c", SERVER);
        for (String p : publish) {
            b.publish(p);
        }
        return b.start();
    }

    private static int hostPort(Container c, int containerPort) {
        return c.inspect().port(containerPort, "tcp").orElseThrow().hostPort();
    }

    @Test
    void aPublishedPortAnswersOnTheHostsLoopbackAndItsOtherAddresses() throws Exception {
        NetworkInfo net = network("pub", false);
        try (Container c = server(net, "80")) {
            PortBinding published = c.inspect().port(80, "tcp").orElseThrow();
            assertThat(published.hostIp()).isNull();
            assertThat(published.hostPort()).as("a free port was picked").isPositive();
            assertThat(read("127.0.0.1", published.hostPort())).isEqualTo("pong\n");
            assertThat(read(net.gateway(), published.hostPort())).isEqualTo("pong\n");
            assertThat(Sysctl.routeLocalnet(net.bridge())).isTrue();
        }
    }

    @Test
    void aPortPublishedOnOneHostAddressIsMappedOnlyThere() throws Exception {
        NetworkInfo net = network("one-ip", false);
        int port = freePort();
        try (Container c = server(net, "127.0.0.1:" + port + ":80")) {
            assertThat(c.inspect().ports()).containsExactly(new PortBinding("127.0.0.1", port, 80, "tcp"));
            assertThat(read("127.0.0.1", port)).isEqualTo("pong\n");
            assertThatThrownBy(() -> connectOnce(net.gateway(), port)).isInstanceOf(IOException.class);
        }
    }

    @Test
    void otherContainersReachAPublishedPortThroughTheHost() {
        NetworkInfo net = network("hairpin", false);
        NetworkInfo other = network("elsewhere", false);
        try (Container c = server(net, "80")) {
            int port = hostPort(c, 80);
            for (NetworkInfo from : new NetworkInfo[]{net, other}) {
                try (Container client = engine.containers().builder().image(image)
                        .network(NetworkMode.bridge(from.name()))
                        .command("sh", "-c", retrying("nc " + net.gateway() + " " + port)).start()) {
                    assertThat(client.waitFor(Duration.ofSeconds(30))).as(client.logs().stderr()).isZero();
                    assertThat(client.logs().stdout()).as("from network " + from.name()).isEqualTo("pong\n");
                }
            }
        }
    }

    /**
     * busybox has no UDP server, so the receiver is a socket the test opens in the container's network
     * namespace: what arrives there came through the mapping. From loopback it arrives masqueraded to the
     * bridge's address.
     */
    @Test
    void udpPortsArePublishedToo() throws Exception {
        NetworkInfo net = network("udp", false);
        try (Container c = engine.containers().builder().image(image).network(NetworkMode.bridge(net.name()))
                .publish("5353/udp").command("sleep", "60").start();
             NetworkNamespace inside = NetworkNamespace.open(Path.of("/proc", Long.toString(c.inspect().pid()), "ns/net"));
             DatagramSocket receiver = inside.call(() -> new DatagramSocket(5353));
             DatagramSocket client = new DatagramSocket()) {
            int port = c.inspect().port(5353, "udp").orElseThrow().hostPort();
            byte[] message = "datagram".getBytes(StandardCharsets.UTF_8);
            client.send(new DatagramPacket(message, message.length, InetAddress.ofLiteral("127.0.0.1"), port));
            receiver.setSoTimeout(10_000);
            DatagramPacket got = new DatagramPacket(new byte[64], 64);
            receiver.receive(got);
            assertThat(new String(got.getData(), 0, got.getLength(), StandardCharsets.UTF_8)).isEqualTo("datagram");
            assertThat(got.getAddress()).isEqualTo(InetAddress.ofLiteral(net.gateway()));
        }
    }

    @Test
    void publishAllPortsMapsWhatTheImageExposes() throws Exception {
        engine.images().pull(image);
        String exposing = "localhost/exposing:" + THIRD_OCTET;
        engine.images().buildFrom(image).exposePort("80").exposePort("5353/udp").tag(exposing).build();
        NetworkInfo net = network("expose", false);
        try (Container c = engine.containers().builder().image(exposing).network(NetworkMode.bridge(net.name()))
                .publish("127.0.0.1::80").publishAllPorts().command("sh", "-c", SERVER).start()) {
            assertThat(c.inspect().ports()).extracting(PortBinding::containerPort, PortBinding::protocol)
                    .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple(80, "tcp"),
                            org.assertj.core.groups.Tuple.tuple(5353, "udp"));
            assertThat(c.inspect().port(80, "tcp").orElseThrow().hostIp()).as("-p wins over -P").isEqualTo("127.0.0.1");
            assertThat(read("127.0.0.1", hostPort(c, 80))).isEqualTo("pong\n");
        }
    }

    @Test
    void networksAreIsolatedFromEachOtherExceptThroughPublishedPorts() {
        NetworkInfo a = network("iso-a", false);
        NetworkInfo b = network("iso-b", false);
        try (Container server = server(a, "80");
             Container client = engine.containers().builder().image(image).network(NetworkMode.bridge(b.name()))
                     .command("sleep", "60").start()) {
            String serverIp = engine.networks().addressOf(server.id()).orElseThrow();
            int port = hostPort(server, 80);
            assertThat(client.exec("sh", "-c", retrying("nc " + b.gateway() + " " + port)).stdout())
                    .as("through the published port").isEqualTo("pong\n");
            ExecResult direct = client.exec("nc", "-w", "2", serverIp, "80");
            assertThat(direct.exitCode()).as("straight to the other network's container").isNotZero();
            assertThat(direct.stdout()).isEmpty();
        }
    }

    @Test
    void stoppingOrRemovingAContainerRemovesItsMappings() {
        NetworkInfo net = network("rules", false);
        Container c = server(net, "80");
        int port = hostPort(c, 80);
        String ip = engine.networks().addressOf(c.id()).orElseThrow();
        assertThat(NatTable.describe()).contains("tcp . " + port + " : " + ip + " . 80");
        c.stop(Duration.ofSeconds(1));
        assertThat(NatTable.describe()).doesNotContain(" . " + port + " : ");
        c.start();
        int again = hostPort(c, 80);
        assertThat(NatTable.describe()).contains("tcp . " + again + " : " + ip + " . 80");
        c.remove(true);
        assertThat(NatTable.describe()).doesNotContain(" . " + again + " : ").doesNotContain(ip + " . 80");
    }

    @Test
    void aHostPortIsPublishedOnceAndABoundOneIsRefused() throws Exception {
        NetworkInfo net = network("taken", false);
        int port = freePort();
        try (Container first = server(net, port + ":80")) {
            assertThat(hostPort(first, 80)).isEqualTo(port);
            Container second = engine.containers().builder().image(image).network(NetworkMode.bridge(net.name()))
                    .publish(port + ":80").command("sleep", "30").create();
            try {
                assertThatThrownBy(second::start).isInstanceOf(PortAllocatedException.class)
                        .hasMessageContaining("already allocated");
                assertThat(second.inspect().ports()).containsExactly(new PortBinding(null, port, 80, "tcp"));
            } finally {
                second.remove(true);
            }
        }
        try (ServerSocket hostProcess = new ServerSocket(0)) {
            Container c = engine.containers().builder().image(image).network(NetworkMode.bridge(net.name()))
                    .publish(hostProcess.getLocalPort() + ":80").command("sleep", "30").create();
            try {
                assertThatThrownBy(c::start).isInstanceOf(PortAllocatedException.class)
                        .hasMessageContaining("port is already allocated");
            } finally {
                c.remove(true);
            }
        }
    }

    @Test
    void outboundTrafficIsMasqueradedAndSwitchesOnForwarding() throws Exception {
        Sysctl.setIpForward(false); // our own namespace: see the class comment
        NetworkInfo net = network("out", false);
        try (ServerSocket listener = outside.call(() -> new ServerSocket(9000, 1, OUTSIDE_PEER));
             Container c = engine.containers().builder().image(image).network(NetworkMode.bridge(net.name()))
                     .command("sleep", "60").start()) {
            assertThat(Sysctl.ipForward()).isTrue();
            assertThat(Files.readString(root.resolve("nat/ip_forward"))).contains("switched on", net.name());
            CompletableFuture<InetAddress> seen = CompletableFuture.supplyAsync(() -> {
                try (Socket s = listener.accept()) {
                    return s.getInetAddress();
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            ExecResult r = c.exec("sh", "-c", "echo out | nc " + OUTSIDE_PEER.getHostAddress() + " 9000");
            assertThat(r.exitCode()).as(r.stderr()).isZero();
            assertThat(seen.get(30, TimeUnit.SECONDS)).as("the peer sees the host's address, not the container's")
                    .isEqualTo(OUTSIDE_HOST_SIDE);
        }
    }

    @Test
    void anInternalNetworkHasNoOutboundRouteNoMasqueradeAndNeedsNoForwarding() throws Exception {
        Sysctl.setIpForward(false); // our own namespace: see the class comment
        NetworkInfo net = network("internal", true);
        try (Container c = engine.containers().builder().image(image).network(NetworkMode.bridge(net.name()))
                .command("sleep", "60").start()) {
            ExecResult route = c.exec("ip", "route");
            assertThat(route.stdout()).doesNotContain("default");
            ExecResult out = c.exec("nc", "-w", "2", OUTSIDE_PEER.getHostAddress(), "9000");
            assertThat(out.exitCode()).isNotZero();
            assertThat(out.stderr()).contains("unreachable");
            assertThat(Sysctl.ipForward()).isFalse();
            assertThat(NatTable.describe()).doesNotContain(net.subnet());

            // with forwarding on (another network needs it), routing still stops at the internal bridge
            NetworkInfo open = network("not-internal", false);
            String internalIp = engine.networks().addressOf(c.id()).orElseThrow();
            try (Container server = engine.containers().builder().image(image).network(NetworkMode.bridge(net.name()))
                    .command("sh", "-c", SERVER).start();
                 Container client = engine.containers().builder().image(image).network(NetworkMode.bridge(open.name()))
                         .command("sleep", "60").start()) {
                assertThat(Sysctl.ipForward()).isTrue();
                String serverIp = engine.networks().addressOf(server.id()).orElseThrow();
                assertThat(c.exec("sh", "-c", retrying("nc " + serverIp + " 80")).stdout())
                        .as("within the internal network").isEqualTo("pong\n");
                ExecResult in = client.exec("nc", "-w", "2", serverIp, "80");
                assertThat(in.exitCode()).as("from another network into the internal one").isNotZero();
                assertThat(in.stdout()).isEmpty();
                ExecResult outOf = c.exec("nc", "-w", "2", open.gateway(), "80");
                assertThat(outOf.exitCode()).isNotZero();
                assertThat(internalIp).isNotEqualTo(serverIp);
            }
        }
        assertThatThrownBy(() -> engine.containers().builder().image(image).network(NetworkMode.bridge(net.name()))
                .publish("80").command("true").start()).isInstanceOf(ContainerException.class)
                .hasMessageContaining("internal");
    }

    /** Retries the client until the server listens: the server loop restarts nc between connections. */
    private static String retrying(String client) {
        return "i=0; while [ $i -lt 100 ]; do " + client + " && exit 0; i=$((i+1)); sleep 0.05; done; exit 1";
    }

    private static String read(String host, int port) throws Exception {
        for (int attempt = 0; ; attempt++) {
            try {
                return connectOnce(host, port);
            } catch (IOException e) {
                if (attempt == 100) {
                    throw e;
                }
                Thread.sleep(50);
            }
        }
    }

    private static String connectOnce(String host, int port) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), 2000);
            s.setSoTimeout(5000);
            try (InputStream in = s.getInputStream()) {
                String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                if (text.isEmpty()) {
                    throw new IOException("connected between two listeners: nothing answered");
                }
                return text;
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
