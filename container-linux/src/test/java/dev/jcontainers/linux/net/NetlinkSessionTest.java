package dev.jcontainers.linux.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jcontainers.linux.ffm.Errno;
import dev.jcontainers.linux.ffm.NetlinkSocket;
import dev.jcontainers.testkit.Requirements;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The rtnetlink client against the real kernel, only ever inside two network namespaces made for each
 * test ({@code a}: the "host" side with the bridge, {@code b}: the "container"). Closing them at the end
 * destroys every link, address and route the test made, also when it fails; no test talks to the
 * namespace the JVM runs in, and no packet can leave them. Subnets: 10.213.0.0/24, 10.213.1.0/24 and
 * fd00:6a63::/64, used by no real network here.
 */
class NetlinkSessionTest {
    private static final InetAddress BRIDGE_IP = InetAddress.ofLiteral("10.213.0.1");
    private static final InetAddress CONTAINER_IP = InetAddress.ofLiteral("10.213.0.2");
    /** On the bridge but outside the container's subnet: reachable from b only through its default route. */
    private static final InetAddress OTHER_SUBNET_IP = InetAddress.ofLiteral("10.213.1.1");
    private static final InetAddress BRIDGE_IP6 = InetAddress.ofLiteral("fd00:6a63::1");

    private NetworkNamespace a;
    private NetworkNamespace b;
    private NetlinkSession nlA;
    private NetlinkSession nlB;

    @BeforeEach
    void createNamespaces() throws Exception {
        Requirements.requireRoot();
        a = NetworkNamespace.create();
        b = NetworkNamespace.create();
        nlA = a.openSession();
        nlB = b.openSession();
        String mine = Files.readSymbolicLink(Path.of("/proc/thread-self/ns/net")).toString();
        assertThat(Files.readSymbolicLink(a.path()).toString()).as("test namespace a").isNotEqualTo(mine);
        assertThat(Files.readSymbolicLink(b.path()).toString()).as("test namespace b")
                .isNotEqualTo(mine).isNotEqualTo(Files.readSymbolicLink(a.path()).toString());
        assertThat(names(nlA.listLinks())).as("a fresh namespace has only lo").containsExactly("lo");
    }

    @AfterEach
    void destroyNamespaces() {
        for (AutoCloseable c : new AutoCloseable[] {nlA, nlB, a, b}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception e) {
                System.err.println("cleanup: " + e);
            }
        }
    }

    @Test
    void bridgeAndVethWireTwoNamespacesEndToEnd() throws Exception {
        nlA.createBridge("jcbr0", 1400);
        nlA.createVethPair("jcveth0", "jcpeer0", 1400, -1);
        nlA.setMaster("jcveth0", "jcbr0");
        nlA.moveToNetns("jcpeer0", b.fd());
        nlA.addAddress("jcbr0", BRIDGE_IP, 24);
        nlA.addAddress("jcbr0", OTHER_SUBNET_IP, 24);
        nlA.setLinkUp("jcbr0");
        nlA.setLinkUp("jcveth0");

        nlB.rename("jcpeer0", "eth0");
        nlB.addAddress("eth0", CONTAINER_IP, 24);
        nlB.setLinkUp("lo");
        nlB.setLinkUp("eth0");
        nlB.addRoute(null, BRIDGE_IP, "eth0");

        List<Link> linksA = nlA.listLinks();
        Link bridge = find(linksA, "jcbr0");
        Link hostEnd = find(linksA, "jcveth0");
        assertThat(names(linksA)).containsExactlyInAnyOrder("lo", "jcbr0", "jcveth0");
        assertThat(bridge.kind()).isEqualTo("bridge");
        assertThat(bridge.mtu()).isEqualTo(1400);
        assertThat(bridge.isUp()).isTrue();
        assertThat(hostEnd.kind()).isEqualTo("veth");
        assertThat(hostEnd.masterIndex()).isEqualTo(bridge.index());
        assertThat(hostEnd.mac()).matches("([0-9a-f]{2}:){5}[0-9a-f]{2}");
        assertThat(nlA.linkIndex("jcbr0")).isEqualTo(bridge.index());

        Link eth0 = find(nlB.listLinks(), "eth0");
        assertThat(eth0.kind()).isEqualTo("veth");
        assertThat(eth0.mtu()).isEqualTo(1400);
        assertThat(eth0.isUp()).isTrue();
        assertThat(eth0.hasMaster()).isFalse();
        assertThat(nlB.findLink("jcpeer0")).isEmpty();
        assertThat(nlB.listAddresses()).anySatisfy(addr -> {
            assertThat(addr.address()).isEqualTo(CONTAINER_IP);
            assertThat(addr.prefixLength()).isEqualTo(24);
            assertThat(addr.linkIndex()).isEqualTo(eth0.index());
            assertThat(addr.label()).isEqualTo("eth0");
        });
        assertThat(nlA.listAddresses()).filteredOn(addr -> addr.linkIndex() == bridge.index())
                .extracting(Address::address).contains(BRIDGE_IP, OTHER_SUBNET_IP)
                .filteredOn(ip -> ip instanceof Inet4Address).hasSize(2);

        // A server in a, a client in b: the bytes cross veth and bridge, the default route picks the gateway.
        try (ServerSocket server = a.call(() -> new ServerSocket(0, 1, OTHER_SUBNET_IP))) {
            server.setSoTimeout(5_000);
            try (Socket client = b.call(() -> connect(new InetSocketAddress(OTHER_SUBNET_IP, server.getLocalPort())));
                    Socket accepted = server.accept()) {
                assertThat(accepted.getInetAddress()).isEqualTo(CONTAINER_IP);
                client.setSoTimeout(5_000);
                OutputStream out = client.getOutputStream();
                out.write("ping\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                accepted.getOutputStream().write(accepted.getInputStream().readNBytes(5));
                InputStream in = client.getInputStream();
                assertThat(new String(in.readNBytes(5), StandardCharsets.US_ASCII)).isEqualTo("ping\n");
            }
        }

        nlB.deleteRoute(null, BRIDGE_IP, "eth0");
        assertThatThrownBy(() -> b.call(() -> connect(new InetSocketAddress(OTHER_SUBNET_IP, 9))))
                .as("without the default route the other subnet is unreachable")
                .hasMessageContaining("unreachable");
        nlA.deleteLink("jcveth0");
        assertThat(nlB.findLink("eth0")).as("deleting one end of a veth removes the other").isEmpty();
    }

    @Test
    void aBridgeMtuOutOfRangeIsRefusedBeforeTheBridgeExists() {
        assertThatThrownBy(() -> nlA.createBridge("jcbr0", 70_000))
                .isInstanceOfSatisfying(NetlinkException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EINVAL))
                .hasMessageStartingWith("create bridge jcbr0: Invalid argument (EINVAL)");
        assertThat(names(nlA.listLinks())).containsExactly("lo");
    }

    @Test
    void creatingAnExistingBridgeIsEexistAndLeavesNothingHalfMade() {
        nlA.createBridge("jcbr0", 0);
        List<Link> before = nlA.listLinks();

        assertThatThrownBy(() -> nlA.createBridge("jcbr0", 1400))
                .isInstanceOfSatisfying(NetlinkException.class, e -> {
                    assertThat(e.errno()).isEqualTo(Errno.EEXIST);
                    assertThat(e.request()).isEqualTo("create bridge jcbr0");
                })
                .hasMessageStartingWith("create bridge jcbr0: File exists (EEXIST)");
        // a veth pair whose peer name is taken is refused as a whole: its first end does not remain
        assertThatThrownBy(() -> nlA.createVethPair("jcveth1", "jcbr0"))
                .isInstanceOfSatisfying(NetlinkException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EEXIST));

        assertThat(nlA.listLinks()).isEqualTo(before);
        assertThat(find(before, "jcbr0").mtu()).as("the refused request changed nothing").isEqualTo(1500);
    }

    @Test
    void missingLinksAreEnodev() {
        assertThatThrownBy(() -> nlA.deleteLink("jcnosuch0"))
                .isInstanceOfSatisfying(NetlinkException.class,
                        e -> assertThat(e.errno()).isEqualTo(NetlinkSocket.ENODEV))
                .hasMessageStartingWith("delete link jcnosuch0: No such device (ENODEV)");
        assertThatThrownBy(() -> nlA.setLinkUp("jcnosuch0"))
                .isInstanceOfSatisfying(NetlinkException.class,
                        e -> assertThat(e.errno()).isEqualTo(NetlinkSocket.ENODEV));
        assertThat(nlA.findLink("jcnosuch0")).isEmpty();
    }

    @Test
    void theKernelsExtendedAckMessageIsKept() {
        nlA.createBridge("jcbr0", 0);
        // 16 characters: one more than IFNAMSIZ allows, refused by attribute policy with an explanation
        assertThatThrownBy(() -> nlA.rename("jcbr0", "jc-name-too-long"))
                .isInstanceOfSatisfying(NetlinkException.class, e -> {
                    assertThat(e.errno()).isEqualTo(NetlinkSocket.ERANGE);
                    assertThat(e.kernelMessage()).isNotBlank();
                    assertThat(e.getMessage()).endsWith(": " + e.kernelMessage());
                });
    }

    @Test
    void aLinkIsRenamedAndSetDown() {
        nlA.createBridge("jcbr0", 0);
        nlA.setLinkUp("jcbr0");
        int index = nlA.linkIndex("jcbr0");
        assertThat(nlA.findLink("jcbr0").orElseThrow().isUp()).isTrue();
        nlA.setLinkDown("jcbr0");
        assertThat(nlA.findLink("jcbr0").orElseThrow().isUp()).isFalse();
        nlA.rename("jcbr0", "jcbr1");
        assertThat(names(nlA.listLinks())).containsExactlyInAnyOrder("lo", "jcbr1");
        assertThat(nlA.linkIndex("jcbr1")).as("the same device under its new name").isEqualTo(index);
    }

    @Test
    void aPortJoinsAndLeavesItsBridge() {
        nlA.createBridge("jcbr0", 0);
        nlA.createVethPair("jcveth0", "jcpeer0");
        nlA.setMaster("jcveth0", "jcbr0");
        assertThat(nlA.findLink("jcveth0").orElseThrow().masterIndex()).isEqualTo(nlA.linkIndex("jcbr0"));
        nlA.clearMaster("jcveth0");
        assertThat(nlA.findLink("jcveth0").orElseThrow().hasMaster()).isFalse();
        assertThatThrownBy(() -> nlA.setMaster("jcveth0", "jcnosuch0"))
                .isInstanceOfSatisfying(NetlinkException.class, e -> {
                    assertThat(e.errno()).isEqualTo(NetlinkSocket.ENODEV);
                    assertThat(e.request()).isEqualTo("look up link jcnosuch0");
                });
    }

    @Test
    void ipv6AddressesAreAddedListedAndDeleted() {
        nlA.createBridge("jcbr0", 0);
        nlA.addAddress("jcbr0", BRIDGE_IP6, 64);
        int index = nlA.linkIndex("jcbr0");
        assertThat(nlA.listAddresses()).anySatisfy(addr -> {
            assertThat(addr.address()).isEqualTo(BRIDGE_IP6);
            assertThat(addr.prefixLength()).isEqualTo(64);
            assertThat(addr.linkIndex()).isEqualTo(index);
            assertThat(addr.subnet()).isEqualTo(IpPrefix.parse("fd00:6a63::/64"));
        });
        assertThatThrownBy(() -> nlA.addAddress("jcbr0", BRIDGE_IP6, 64))
                .isInstanceOfSatisfying(NetlinkException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EEXIST));

        nlA.deleteAddress("jcbr0", BRIDGE_IP6, 64);
        assertThat(nlA.listAddresses()).extracting(Address::address).doesNotContain(BRIDGE_IP6);
        assertThatThrownBy(() -> nlA.deleteAddress("jcbr0", BRIDGE_IP6, 64))
                .isInstanceOfSatisfying(NetlinkException.class,
                        e -> assertThat(e.errno()).isEqualTo(NetlinkSocket.EADDRNOTAVAIL));
    }

    @Test
    void ipv4AddressesGetTheSubnetsBroadcastAndItsRoute() {
        nlA.createBridge("jcbr0", 0);
        nlA.addAddress("jcbr0", BRIDGE_IP, 24);
        nlA.setLinkUp("jcbr0");
        assertThat(nlA.listAddresses()).filteredOn(addr -> addr.address().equals(BRIDGE_IP)).singleElement()
                .satisfies(addr -> {
                    assertThat(addr.broadcast()).isEqualTo(InetAddress.ofLiteral("10.213.0.255"));
                    assertThat(addr.subnet()).isEqualTo(IpPrefix.parse("10.213.0.0/24"));
                });
        // the kernel made the connected route of 10.213.0.0/24; adding it again is EEXIST
        assertThatThrownBy(() -> nlA.addRoute(IpPrefix.parse("10.213.0.0/24"), null, "jcbr0"))
                .isInstanceOfSatisfying(NetlinkException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EEXIST))
                .hasMessageStartingWith("add route 10.213.0.0/24 dev jcbr0: File exists (EEXIST)");
        nlA.addRoute(IpPrefix.parse("10.213.7.0/24"), null, "jcbr0");
        nlA.deleteRoute(IpPrefix.parse("10.213.7.0/24"), null, "jcbr0");
    }

    @Test
    void aBatchConfiguresAnInterfaceInOneRoundTrip() {
        nlA.createVethPair("jcveth0", "eth0", 0, b.fd());
        int eth0 = nlB.linkIndex("eth0");
        nlB.batch().addAddress(eth0, "eth0", CONTAINER_IP, 24).setLinkUp("lo").setLinkUp("eth0")
                .addRouteUnlessPresent(null, BRIDGE_IP, eth0, "eth0").send();
        assertThat(nlB.lastReplyDatagrams()).as("datagrams of the acknowledgements").isLessThanOrEqualTo(4);
        assertThat(nlB.findLink("lo").orElseThrow().isUp()).isTrue();
        assertThat(nlB.findLink("eth0").orElseThrow().isUp()).isTrue();
        assertThat(nlB.listAddresses()).extracting(Address::address).contains(CONTAINER_IP);
        assertThatThrownBy(() -> nlB.addRoute(null, BRIDGE_IP, "eth0")).as("the default route is there")
                .isInstanceOfSatisfying(NetlinkException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EEXIST));
        nlB.batch().addRouteUnlessPresent(null, BRIDGE_IP, eth0, "eth0").send(); // present: no failure
    }

    @Test
    void aBatchThrowsItsFirstRefusalAfterTheKernelCarriedOutTheRest() {
        nlA.createVethPair("jcveth0", "eth0", 0, b.fd());
        int eth0 = nlB.linkIndex("eth0");
        nlB.addAddress("eth0", CONTAINER_IP, 24);
        InetAddress second = InetAddress.ofLiteral("10.213.0.3");
        assertThatThrownBy(() -> nlB.batch().addAddress(eth0, "eth0", CONTAINER_IP, 24).setLinkUp("jcnosuch0")
                .addAddress(eth0, "eth0", second, 24).send())
                .isInstanceOfSatisfying(NetlinkException.class, e -> {
                    assertThat(e.errno()).isEqualTo(Errno.EEXIST);
                    assertThat(e.getSuppressed()).singleElement().isInstanceOfSatisfying(NetlinkException.class,
                            later -> assertThat(later.errno()).isEqualTo(NetlinkSocket.ENODEV));
                })
                .hasMessageStartingWith("add address 10.213.0.2/24 to eth0: File exists (EEXIST)");
        assertThat(nlB.listAddresses()).extracting(Address::address).contains(second);
        nlB.setLinkUp("eth0"); // the session is in step again: the next request gets its own acknowledgement
        assertThat(nlB.findLink("eth0").orElseThrow().isUp()).isTrue();
    }

    @Test
    void aDumpOfManyLinksSpansSeveralDatagramsAndParsesCompletely() {
        List<String> expected = new ArrayList<>(List.of("lo"));
        for (int i = 0; i < 25; i++) {
            nlA.createVethPair("jcva" + i, "jcvb" + i);
            expected.add("jcva" + i);
            expected.add("jcvb" + i);
        }
        List<Link> links = nlA.listLinks();
        assertThat(nlA.lastReplyDatagrams()).as("datagrams of the dump").isGreaterThan(2);
        assertThat(names(links)).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(links).filteredOn(l -> !l.name().equals("lo")).allSatisfy(l -> assertThat(l.kind()).isEqualTo("veth"));
        assertThat(links).extracting(Link::index).doesNotHaveDuplicates();
    }

    @Test
    void aVethPeerCanBeBornInAnotherNamespaceAndSeenFromASessionOpenedByPath() {
        nlA.createVethPair("jcveth0", "eth0", 1280, b.fd());
        assertThat(names(nlA.listLinks())).containsExactlyInAnyOrder("lo", "jcveth0");
        assertThat(nlA.findLink("jcveth0").orElseThrow().mtu()).isEqualTo(1280);
        try (NetlinkSession viaPath = NetlinkSession.openIn(b.path())) {
            assertThat(viaPath.findLink("eth0")).hasValueSatisfying(l -> {
                assertThat(l.kind()).isEqualTo("veth");
                assertThat(l.mtu()).isEqualTo(1280);
            });
            viaPath.setMtu("eth0", 1300);
            assertThat(viaPath.findLink("eth0").orElseThrow().mtu()).isEqualTo(1300);
            viaPath.deleteLink("eth0");
        }
        assertThat(nlA.findLink("jcveth0")).isEmpty();
    }

    @Test
    void bothVethEndsAreCreatedForIpv4BigTcpWithTheirMtuUnchanged() {
        // lo reports the attribute (65536) on every kernel that knows it: Linux 6.3 and later
        Assumptions.assumeTrue(nlA.findLink("lo").orElseThrow().gsoIpv4MaxSize() > 0,
                "this kernel predates IPv4 BIG TCP (6.3): it ignores gso_ipv4_max_size");
        nlA.createBridge("jcbr0", 0);
        nlA.createVethPair("jcveth0", "eth0", 1500, b.fd(), nlA.linkIndex("jcbr0"));
        assertThat(nlA.findLink("jcveth0").orElseThrow()).satisfies(l -> {
            assertThat(l.gsoIpv4MaxSize()).isEqualTo(NetlinkSession.BIG_TCP_IPV4_MAX_SIZE);
            assertThat(l.mtu()).isEqualTo(1500);
        });
        assertThat(nlB.findLink("eth0").orElseThrow()).satisfies(l -> {
            assertThat(l.gsoIpv4MaxSize()).isEqualTo(NetlinkSession.BIG_TCP_IPV4_MAX_SIZE);
            assertThat(l.mtu()).isEqualTo(1500);
        });
        assertThat(nlA.findLink("lo").orElseThrow().gsoIpv4MaxSize()).as("links not made here keep theirs").isEqualTo(65536);
    }

    @Test
    void aLinkMovesIntoTheNamespaceOfAProcess() throws Exception {
        Path unshare = Requirements.requireTool("unshare");
        // sleep in a network namespace of its own: the role of a container's init
        Process sleeper = new ProcessBuilder(unshare.toString(), "--net", "sleep", "30").start();
        try {
            Path netns = Path.of("/proc/" + sleeper.pid() + "/ns/net");
            waitUntil(() -> !Files.readSymbolicLink(netns).equals(Files.readSymbolicLink(Path.of("/proc/self/ns/net"))));
            nlA.createVethPair("jcveth0", "jcpeer0");
            nlA.moveToNetnsOfProcess("jcpeer0", (int) sleeper.pid());
            assertThat(nlA.findLink("jcpeer0")).isEmpty();
            try (NetlinkSession inside = NetlinkSession.openIn(netns)) {
                assertThat(inside.findLink("jcpeer0")).isPresent();
            }
        } finally {
            sleeper.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }

    private static Socket connect(InetSocketAddress address) throws Exception {
        Socket s = new Socket();
        try {
            s.connect(address, 5_000);
            return s;
        } catch (Exception e) {
            s.close();
            throw e;
        }
    }

    interface Condition {
        boolean holds() throws Exception;
    }

    private static void waitUntil(Condition condition) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!condition.holds()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 5 s");
            }
            Thread.sleep(10);
        }
    }

    private static Link find(List<Link> links, String name) {
        return links.stream().filter(l -> l.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no link " + name + " in " + names(links)));
    }

    private static List<String> names(List<Link> links) {
        return links.stream().map(Link::name).toList();
    }
}
