package dev.jcontainers.core.network;

import dev.jcontainers.api.Container;
import dev.jcontainers.api.ContainerException;
import dev.jcontainers.api.ExecResult;
import dev.jcontainers.api.NetworkInfo;
import dev.jcontainers.api.NetworkMode;
import dev.jcontainers.core.LocalEngine;
import dev.jcontainers.core.container.RuntimeFixture;
import dev.jcontainers.core.container.RuntimeTest;
import dev.jcontainers.linux.net.NetlinkSession;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Names on user-defined networks through the embedded DNS server, and networks connected to and disconnected
 * from running containers. Safety as in {@link BridgeNetworkingTest}: every network is a /24 of 10.213.0.0/16
 * of this run's own, no forwarding or NAT, the engine forwards no DNS query (only names that exist or are
 * answered locally are looked up), and every bridge and veth goes after the class, also on failure.
 */
@RuntimeTest(repo = "dns/busybox")
class NameResolutionTest {
    static LocalEngine engine;
    @RuntimeTest.Image
    static String image;
    static final List<String> bridges = new ArrayList<>();
    /** The first of this run's /24s: the class makes at most 20 networks, so they stay below 10.213.240.0. */
    static final int THIRD_OCTET = ThreadLocalRandom.current().nextInt(0, 220);
    static final String SUFFIX = "-" + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x1000, 0xffff));
    static int nextSubnet = 0;

    @RuntimeTest.Root
    static Path root;

    /** Whether this class made the default network's bridge (jc0), which it then removes once nothing uses it. */
    static boolean madeDefaultBridge;

    /** The engine has closed: its networks are removed, and with them their bridges. */
    @RuntimeTest.AfterClose
    static void removeNetworks() {
        try {
            TestNetworks.removeAll(engine, bridges);
        } finally {
            try (NetlinkSession host = NetlinkSession.open()) {
                if (madeDefaultBridge && host.findLink("jc0").isPresent() && TestNetworks.portsOf("jc0").isEmpty()) {
                    host.deleteLink("jc0");
                }
            }
        }
    }

    private static synchronized NetworkInfo network(String name) {
        String subnet = "10.213." + (THIRD_OCTET + nextSubnet++) + ".0/24";
        NetworkInfo n = engine.networks().create(name + SUFFIX, subnet, null, false);
        bridges.add(n.bridge());
        return n;
    }

    private static Container start(String name, NetworkMode network, String script) {
        return engine.containers().builder().image(image).name(name + SUFFIX).network(network)
                .command("sh", "-c", script).start();
    }

    /** {@code nslookup} asking the embedded server explicitly, so /etc/hosts cannot answer instead. */
    private static ExecResult lookUp(Container from, String name) {
        return from.exec("busybox", "nslookup", name, "127.0.0.11");
    }

    @Test
    void twoContainersOnANonInternalNetworkTalkTcpByName() {
        NetworkMode mode = NetworkMode.bridge(network("talk").name());
        // the receiver copies the connection with cat (-e): busybox nc itself would close the connection at the
        // end of its own stdin (/dev/null), which can come before the data
        try (Container server = start("api", mode, "nc -l -p 3000 -e sh -c 'cat > /tmp/got'; cat /tmp/got")) {
            try (Container client = start("client", mode, "i=0; while [ $i -lt 100 ]; do echo hello | nc api" + SUFFIX
                    + " 3000 && exit 0; i=$((i+1)); sleep 0.05; done; exit 1")) {
                assertThat(client.waitFor(Duration.ofSeconds(20))).as(client.logs().stderr()).isZero();
            }
            assertThat(server.waitFor(Duration.ofSeconds(20))).isZero();
            assertThat(server.logs().stdout()).isEqualTo("hello\n");
        }
    }

    @Test
    void aContainerStartedLaterIsResolvedByAnEarlierOneThroughDns() {
        NetworkMode mode = NetworkMode.bridge(network("later").name());
        try (Container early = start("early", mode, "sleep 60")) {
            assertThat(early.exec("cat", "/etc/resolv.conf").stdout()).startsWith("nameserver 127.0.0.11\n")
                    .contains("options ndots:0");
            try (Container late = start("late", mode, "sleep 60")) {
                String lateIp = engine.networks().addressOf(late.id()).orElseThrow();
                ExecResult r = lookUp(early, "late" + SUFFIX);
                assertThat(r.exitCode()).as(r.stderr()).isZero();
                assertThat(r.stdout()).contains("Address: " + lateIp);
                ExecResult byShortId = lookUp(early, late.id().substring(0, 12));
                assertThat(byShortId.stdout()).contains("Address: " + lateIp);
                ExecResult ping = early.exec("ping", "-c", "1", "-W", "2", "late" + SUFFIX);
                assertThat(ping.exitCode()).as(ping.stdout() + ping.stderr()).isZero();
            }
            ExecResult gone = lookUp(early, "late" + SUFFIX);
            assertThat(gone.exitCode()).isNotZero();
            ExecResult invalid = lookUp(early, "nothing.invalid");
            assertThat(invalid.stdout() + invalid.stderr()).contains("NXDOMAIN");
        }
    }

    @Test
    void aNetworkAliasResolvesToItsContainer() {
        String net = network("alias").name();
        try (Container db = start("db", NetworkMode.bridge(net, List.of("database", "primary")), "sleep 60");
             Container app = start("app", NetworkMode.bridge(net), "sleep 60")) {
            String dbIp = engine.networks().addressOf(db.id()).orElseThrow();
            for (String name : List.of("database", "primary", "DB" + SUFFIX)) {
                ExecResult r = lookUp(app, name);
                assertThat(r.stdout()).as(name).contains("Address: " + dbIp);
            }
            assertThat(engine.networks().inspect(net).endpoints())
                    .filteredOn(e -> e.containerId().equals(db.id())).singleElement()
                    .satisfies(e -> assertThat(e.aliases()).containsExactly("database", "primary"));
        }
        assertThatThrownBy(() -> NetworkMode.bridge("bridge", List.of("x"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("user-defined");
    }

    @Test
    void namesOfAnotherNetworkDoNotResolve() {
        NetworkMode a = NetworkMode.bridge(network("iso-a").name());
        NetworkMode b = NetworkMode.bridge(network("iso-b").name());
        try (Container onA = start("on-a", a, "sleep 60"); Container onB = start("on-b", b, "sleep 60")) {
            ExecResult r = lookUp(onA, "on-b" + SUFFIX);
            assertThat(r.exitCode()).isNotZero();
            assertThat(r.stdout() + r.stderr()).contains("NXDOMAIN");
            assertThat(onA.exec("cat", "/etc/hosts").stdout()).doesNotContain("on-b" + SUFFIX);
        }
    }

    /**
     * Docker's default bridge resolves no names: its containers keep the host's name servers (so nothing is
     * looked up here: the only query goes to 127.0.0.11 inside the container, where nothing listens).
     */
    @Test
    void theDefaultBridgeResolvesNoNames() {
        try (NetlinkSession host = NetlinkSession.open()) {
            madeDefaultBridge |= host.findLink("jc0").isEmpty();
        }
        try (Container one = start("default-one", NetworkMode.bridge(), "sleep 60");
             Container two = start("default-two", NetworkMode.bridge(), "sleep 60")) {
            assertThat(one.exec("cat", "/etc/resolv.conf").stdout()).doesNotContain("127.0.0.11");
            assertThat(one.exec("cat", "/etc/hosts").stdout()).doesNotContain("default-two" + SUFFIX);
            ExecResult r = lookUp(one, "default-two" + SUFFIX);
            assertThat(r.exitCode()).isNotZero();
            assertThat(r.stdout()).doesNotContain(engine.networks().addressOf(two.id()).orElseThrow());
        }
    }

    /**
     * The DNS server lives in the engine: a detached container keeps its names only while some engine on the
     * root runs, and a new engine serves the running containers it finds.
     */
    @Test
    void aNewEngineServesTheDnsOfRunningDetachedContainers() {
        NetworkMode mode = NetworkMode.bridge(network("reattach").name());
        LocalEngine first = RuntimeFixture.engine(root);
        String id;
        try {
            id = first.containers().builder().image(image).name("kept" + SUFFIX).network(mode).detached()
                    .command("sleep", "60").start().id();
            assertThat(lookUp(first.containers().get(id), "kept" + SUFFIX).exitCode()).isZero();
        } finally {
            first.close();
        }
        try {
            // the class's engine, open on this root since before the container started, does not serve it
            Container unserved = engine.containers().get(id);
            assertThat(lookUp(unserved, "kept" + SUFFIX).exitCode()).isNotZero();
            // nothing answers on 127.0.0.11 (refused at once): the resolver falls back to /etc/hosts
            ExecResult ping = unserved.exec("ping", "-c", "1", "-W", "2", "kept" + SUFFIX);
            assertThat(ping.exitCode()).as(ping.stdout() + ping.stderr()).isZero();
            try (LocalEngine second = RuntimeFixture.engine(root)) {
                ExecResult r = lookUp(second.containers().get(id), "kept" + SUFFIX);
                assertThat(r.exitCode()).as(r.stdout() + r.stderr()).isZero();
                assertThat(r.stdout()).contains("Address: " + second.networks().addressOf(id).orElseThrow());
            }
        } finally {
            engine.containers().get(id).remove(true);
        }
    }

    @Test
    void aRunningContainerIsConnectedToAndDisconnectedFromASecondNetwork() {
        NetworkInfo first = network("first");
        NetworkInfo second = network("second");
        try (Container roamer = start("roamer", NetworkMode.bridge(first.name()), "sleep 60");
             Container peer = start("peer", NetworkMode.bridge(second.name()), "sleep 60")) {
            assertThat(lookUp(peer, "roamer" + SUFFIX).exitCode()).isNotZero();

            roamer.connect(second.name(), List.of("roaming"));
            String ip = engine.networks().addressOf(roamer.id(), second.name()).orElseThrow();
            assertThat(roamer.exec("ip", "-4", "-o", "addr", "show", "eth1").stdout()).contains("inet " + ip + "/24");
            assertThat(roamer.exec("ip", "route").stdout()).contains("default via " + first.gateway() + " dev eth0");
            assertThat(TestNetworks.portsOf(second.bridge())).hasSize(2);
            for (String name : List.of("roamer" + SUFFIX, "roaming")) {
                assertThat(lookUp(peer, name).stdout()).as(name).contains("Address: " + ip);
            }
            ExecResult ping = peer.exec("ping", "-c", "1", "-W", "2", "roaming");
            assertThat(ping.exitCode()).as(ping.stdout() + ping.stderr()).isZero();
            assertThat(lookUp(roamer, "peer" + SUFFIX).exitCode()).isZero();
            assertThatThrownBy(() -> roamer.connect(second.name(), List.of())).isInstanceOf(ContainerException.class)
                    .hasMessageContaining("already exists");

            roamer.disconnect(second.name());
            assertThat(roamer.exec("ip", "link", "show", "eth1").exitCode()).isNotZero();
            assertThat(TestNetworks.portsOf(second.bridge())).hasSize(1);
            assertThat(engine.networks().inspect(second.name()).endpoints()).extracting(NetworkInfo.Endpoint::containerId)
                    .containsExactly(peer.id());
            assertThat(lookUp(peer, "roaming").exitCode()).isNotZero();
            assertThatThrownBy(() -> roamer.disconnect(second.name())).hasMessageContaining("is not connected");
        }
    }

    @Test
    void aContainerWithoutANetworkOfItsOwnCannotBeConnected() {
        NetworkInfo net = network("refuse");
        try (Container c = start("no-net", NetworkMode.none(), "sleep 60")) {
            assertThatThrownBy(() -> c.connect(net.name(), List.of())).isInstanceOf(ContainerException.class)
                    .hasMessageContaining("cannot be connected");
            assertThat(engine.networks().inspect(net.name()).endpoints()).isEmpty();
        }
    }

    @Test
    void removingAContainerOnTwoNetworksRemovesBothVethsAndAddresses() {
        NetworkInfo a = network("rm-a");
        NetworkInfo b = network("rm-b");
        Container c = start("two-nets", NetworkMode.bridge(a.name()), "sleep 60");
        c.connect(b.name(), List.of());
        assertThat(TestNetworks.portsOf(a.bridge())).hasSize(1);
        assertThat(TestNetworks.portsOf(b.bridge())).hasSize(1);
        c.remove(true);
        assertThat(TestNetworks.portsOf(a.bridge())).isEmpty();
        assertThat(TestNetworks.portsOf(b.bridge())).isEmpty();
        assertThat(engine.networks().inspect(a.name()).endpoints()).isEmpty();
        assertThat(engine.networks().inspect(b.name()).endpoints()).isEmpty();
    }

    @Test
    void aStoppedContainerConnectedToANetworkIsWiredToItAtStart() {
        NetworkInfo a = network("cold-a");
        NetworkInfo b = network("cold-b");
        try (Container c = engine.containers().builder().image(image).name("cold" + SUFFIX)
                .network(NetworkMode.bridge(a.name())).command("sh", "-c", "ip -4 -o addr; sleep 60").create()) {
            c.connect(b.name(), List.of());
            c.start();
            String ipB = engine.networks().addressOf(c.id(), b.name()).orElseThrow();
            assertThat(c.exec("ip", "-4", "-o", "addr", "show", "eth1").stdout()).contains("inet " + ipB + "/24");
        }
    }

    /**
     * Every container resolves every name through the embedded DNS, and reaches a neighbour by name (n0 → n1,
     * ..., n49 → n0), so every container is reached. Not every container pings every other: the kernel's ARP
     * table is shared by all network namespaces (gc_thresh3, 1024 entries by default), and a full mesh of 50
     * needs 2,450 entries; the kernel then drops neighbours ("neighbor table overflow"), which is a limit of
     * the host, not of the engine.
     */
    @Test
    void fiftyContainersGetDistinctAddressesAndEachResolvesAllNamesAndReachesItsNeighbour() throws Exception {
        NetworkInfo net = network("fifty");
        NetworkMode mode = NetworkMode.bridge(net.name());
        List<Container> started = new ArrayList<>();
        try {
            Set<String> addresses = new HashSet<>();
            StringBuilder names = new StringBuilder();
            for (int i = 0; i < 50; i++) {
                Container c = start("n" + i, mode, "sleep 300");
                started.add(c);
                addresses.add(engine.networks().addressOf(c.id()).orElseThrow());
                names.append(" n").append(i).append(SUFFIX);
            }
            assertThat(addresses).hasSize(50);
            assertThat(TestNetworks.portsOf(net.bridge())).hasSize(50);
            String resolveAll = "for n in" + names + "; do busybox nslookup $n 127.0.0.11 > /dev/null || echo unresolved $n; done; ";
            try (ExecutorService pool = Executors.newFixedThreadPool(4)) {
                List<Future<ExecResult>> probes = new ArrayList<>();
                for (int i = 0; i < 50; i++) {
                    Container c = started.get(i);
                    String neighbour = "n" + (i + 1) % 50 + SUFFIX;
                    probes.add(pool.submit(() -> c.exec("sh", "-c", resolveAll + "ping -c 1 -W 2 " + neighbour
                            + " > /dev/null || echo unreachable " + neighbour)));
                }
                for (int i = 0; i < probes.size(); i++) {
                    ExecResult r = probes.get(i).get();
                    assertThat(r.stdout() + r.stderr()).as("probe from n" + i).isEmpty();
                    assertThat(r.exitCode()).isZero();
                }
            }
        } finally {
            started.forEach(Container::close);
        }
        assertThat(TestNetworks.portsOf(net.bridge())).isEmpty();
    }
}
