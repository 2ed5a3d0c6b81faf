package dev.jcontainers.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jcontainers.linux.net.NetlinkSession;
import dev.jcontainers.testkit.FixtureImage;
import dev.jcontainers.testkit.RegistryServer;
import dev.jcontainers.testkit.RegistryTest;
import dev.jcontainers.testkit.Requirements;
import dev.jcontainers.testkit.Skopeo;
import dev.jcontainers.testkit.TestImages;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code jc network} end to end. Creating, listing, inspecting and removing a network record needs no root
 * (the bridge appears only when a container starts on it); attaching a container does. Safety: every subnet
 * is a /24 inside 10.213.0.0/16, which no network of this machine uses; nothing enables forwarding or NAT.
 * Every container, network and bridge is removed after the class, also when a test failed.
 */
@RegistryTest
class NetworkCliTest {
    static RegistryServer registry;
    static final int THIRD_OCTET = ThreadLocalRandom.current().nextInt(0, 200);
    static int nextSubnet;
    /** Bridges of networks this class created, to be sure none outlives it. */
    static final List<String> bridges = new ArrayList<>();

    @TempDir
    static Path fixtures;

    @TempDir
    static Path root;


    @AfterAll
    static void removeEverything() {
        try {
            jc("ps", "-aq", "--no-trunc").out().lines().filter(l -> !l.isBlank()).forEach(id -> jc("rm", "-f", id));
            jc("network", "prune", "-f");
        } finally {
            try (NetlinkSession host = NetlinkSession.open()) {
                List<String> left = bridges.stream().filter(b -> host.findLink(b).isPresent()).toList();
                left.forEach(host::deleteLink);
                assertThat(left).as("bridges left behind").isEmpty();
            }
        }
    }

    static CliResult jc(String... args) {
        return CliResult.run(root, args);
    }

    /** A /24 of 10.213.0.0/16 of this run's own, as its first three octets ({@code 10.213.N}). */
    private static synchronized String freshSubnetPrefix() {
        return "10.213." + (THIRD_OCTET + nextSubnet++);
    }

    private static String create(String name, String... flags) throws Exception {
        return createOn(name, freshSubnetPrefix() + ".0/24", flags);
    }

    /** {@code jc network create --subnet SUBNET FLAGS NAME}; returns the new network's ID. */
    private static String createOn(String name, String subnet, String... flags) throws Exception {
        List<String> args = new ArrayList<>(List.of("network", "create", "--subnet", subnet));
        args.addAll(List.of(flags));
        args.add(name);
        CliResult r = jc(args.toArray(String[]::new));
        assertThat(r.code()).as(r.err()).isZero();
        String id = r.out().strip();
        bridges.add(inspect(name).get("Options").get("com.docker.network.bridge.name").asText());
        return id;
    }

    private static JsonNode inspect(String name) throws Exception {
        CliResult r = jc("network", "inspect", name);
        assertThat(r.code()).as(r.err()).isZero();
        return new ObjectMapper().readTree(r.out()).get(0);
    }

    @Test
    void createListInspectAndRemove() throws Exception {
        String prefix = freshSubnetPrefix();
        String id = createOn("cli-net", prefix + ".0/24", "--gateway", prefix + ".254", "--internal");
        assertThat(id).matches("[0-9a-f]{64}");

        CliResult ls = jc("network", "ls");
        assertThat(ls.code()).as(ls.err()).isZero();
        assertThat(ls.out()).startsWith("NETWORK ID").contains("NAME", "DRIVER", "SCOPE");
        assertThat(ls.out()).containsPattern(id.substring(0, 12) + "\\s+cli-net\\s+bridge\\s+local");
        assertThat(ls.out()).containsPattern("[0-9a-f]{12}\\s+bridge\\s+bridge\\s+local");
        assertThat(jc("network", "ls", "-q").out().lines()).contains(id.substring(0, 12)).hasSize(2);

        JsonNode n = inspect(id.substring(0, 12));
        assertThat(n.get("Name").asText()).isEqualTo("cli-net");
        assertThat(n.get("Id").asText()).isEqualTo(id);
        assertThat(n.get("Driver").asText()).isEqualTo("bridge");
        assertThat(n.get("Internal").asBoolean()).isTrue();
        assertThat(n.get("Created").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
        JsonNode pool = n.get("IPAM").get("Config").get(0);
        assertThat(pool.get("Subnet").asText()).isEqualTo(prefix + ".0/24");
        assertThat(pool.get("Gateway").asText()).isEqualTo(prefix + ".254");
        assertThat(n.get("Containers").isEmpty()).isTrue();

        CliResult rm = jc("network", "rm", "cli-net");
        assertThat(rm.code()).as(rm.err()).isZero();
        assertThat(rm.out()).isEqualTo("cli-net\n");
        assertThat(jc("network", "ls").out()).doesNotContain("cli-net");
        CliResult gone = jc("network", "inspect", "cli-net");
        assertThat(gone.code()).isEqualTo(1);
        assertThat(gone.err()).startsWith("Error: ").contains("cli-net");
    }

    @Test
    void refusalsExitWithOne() throws Exception {
        create("cli-dup");
        CliResult dup = jc("network", "create", "cli-dup");
        assertThat(dup.code()).isEqualTo(1);
        assertThat(dup.err()).contains("already exists");
        assertThat(jc("network", "create", "-d", "overlay", "cli-overlay").code()).isEqualTo(1);
        CliResult overlap = jc("network", "create", "--subnet", inspect("cli-dup").get("IPAM").get("Config").get(0)
                .get("Subnet").asText(), "cli-overlap");
        assertThat(overlap.code()).isEqualTo(1);
        assertThat(overlap.err()).contains("overlaps");
        CliResult builtIn = jc("network", "rm", "bridge");
        assertThat(builtIn.code()).isEqualTo(1);
        assertThat(builtIn.err()).contains("pre-defined network");
        assertThat(jc("network", "rm", "no-such-network").code()).isEqualTo(1);
        assertThat(jc("network", "rm", "cli-dup").code()).isZero();
    }

    @Test
    void pruneRemovesUnusedUserNetworksOnly() throws Exception {
        create("cli-prune-a");
        create("cli-prune-b");
        CliResult prune = jc("network", "prune", "-f");
        assertThat(prune.code()).as(prune.err()).isZero();
        assertThat(prune.out()).startsWith("Deleted Networks:\n").contains("cli-prune-a\n", "cli-prune-b\n")
                .doesNotContain("bridge");
        assertThat(jc("network", "ls").out()).doesNotContain("cli-prune").contains("bridge");
        assertThat(jc("network", "prune", "-f").out()).isEmpty();
    }

    @Test
    void aContainerOnTheNetworkShowsInInspectAndKeepsItFromBeingRemoved() throws Exception {
        Requirements.requireRoot();
        Requirements.requireTool("skopeo");
        FixtureImage busybox = new TestImages(fixtures).multiLayer("cli-net", 1);
        Skopeo.push(busybox, registry, "cli/net:1");
        String image = registry.host() + "/cli/net:1";
        create("cli-used");

        CliResult run = jc("run", "-d", "--name", "netted", "--network", "cli-used", image, "sleep", "30");
        assertThat(run.code()).as(run.err()).isZero();
        String container = run.out().strip();
        JsonNode n = inspect("cli-used");
        JsonNode endpoint = n.get("Containers").get(container);
        assertThat(endpoint).as(n.toString()).isNotNull();
        assertThat(endpoint.get("Name").asText()).isEqualTo("netted");
        String subnet = n.get("IPAM").get("Config").get(0).get("Subnet").asText();
        assertThat(endpoint.get("IPv4Address").asText())
                .matches(subnet.substring(0, subnet.lastIndexOf('.') + 1).replace(".", "\\.") + "\\d+/24");

        CliResult refused = jc("network", "rm", "cli-used");
        assertThat(refused.code()).isEqualTo(1);
        assertThat(refused.err()).startsWith("Error: error while removing network: network cli-used id ")
                .contains("has active endpoints");
        assertThat(jc("network", "prune", "-f").out()).doesNotContain("cli-used");

        CliResult port = jc("port", "netted");
        assertThat(port.code()).as(port.err()).isZero();
        assertThat(port.out()).isEmpty();
        CliResult noPort = jc("port", "netted", "80/tcp");
        assertThat(noPort.code()).isEqualTo(1);
        assertThat(noPort.err()).contains("No public port '80/tcp' published for netted");
        // this JVM runs in the host's network namespace, where tests keep the engine's NAT off
        CliResult published = jc("run", "-d", "-p", "127.0.0.1:8080:80", "--network", "cli-used", image, "sleep", "30");
        assertThat(published.code()).isEqualTo(125);
        assertThat(published.err()).contains("publishing ports needs NAT");
        CliResult badSpec = jc("run", "-d", "-p", "80/sctp", "--network", "cli-used", image, "sleep", "30");
        assertThat(badSpec.code()).isEqualTo(125);
        assertThat(badSpec.err()).contains("protocol must be tcp or udp");

        assertThat(jc("rm", "-f", "netted").code()).isZero();
        CliResult rm = jc("network", "rm", "cli-used");
        assertThat(rm.code()).as(rm.err()).isZero();
    }

    @Test
    void aRunningContainerIsConnectedWithAnAliasAndDisconnected() throws Exception {
        Requirements.requireRoot();
        Requirements.requireTool("skopeo");
        Skopeo.push(new TestImages(fixtures).multiLayer("cli-connect", 1), registry, "cli/connect:1");
        String image = registry.host() + "/cli/connect:1";
        create("cli-home");
        create("cli-extra");

        CliResult run = jc("run", "-d", "--name", "roamer", "--network", "cli-home", "--network-alias", "web", image,
                "sleep", "60");
        assertThat(run.code()).as(run.err()).isZero();
        String container = run.out().strip();
        assertThat(inspect("cli-home").get("Containers").get(container).get("Aliases").toString()).isEqualTo("[\"web\"]");

        CliResult connect = jc("network", "connect", "--alias", "api", "cli-extra", "roamer");
        assertThat(connect.code()).as(connect.err()).isZero();
        JsonNode endpoint = inspect("cli-extra").get("Containers").get(container);
        assertThat(endpoint.get("Aliases").toString()).isEqualTo("[\"api\"]");
        String ip = endpoint.get("IPv4Address").asText();
        CliResult eth1 = jc("exec", "roamer", "ip", "-4", "-o", "addr", "show", "eth1");
        assertThat(eth1.out()).contains("inet " + ip);
        assertThat(jc("network", "connect", "cli-extra", "roamer").err()).contains("already exists");

        CliResult disconnect = jc("network", "disconnect", "cli-extra", "roamer");
        assertThat(disconnect.code()).as(disconnect.err()).isZero();
        assertThat(inspect("cli-extra").get("Containers").isEmpty()).isTrue();
        assertThat(jc("exec", "roamer", "ip", "link", "show", "eth1").code()).isNotZero();

        CliResult aliasOnDefault = jc("run", "-d", "--network", "bridge", "--network-alias", "x", image, "true");
        assertThat(aliasOnDefault.code()).isEqualTo(125);
        assertThat(aliasOnDefault.err()).contains("user-defined networks");
        CliResult macvlanWithoutParent = jc("network", "create", "-d", "macvlan", "--subnet", "10.213.252.0/24", "cli-mv");
        assertThat(macvlanWithoutParent.code()).isEqualTo(1);
        assertThat(macvlanWithoutParent.err()).contains("parent");
        assertThat(jc("rm", "-f", "roamer").code()).isZero();
    }
}
