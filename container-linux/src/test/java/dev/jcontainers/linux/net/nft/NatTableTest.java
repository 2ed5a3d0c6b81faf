package dev.jcontainers.linux.net.nft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jcontainers.linux.ffm.Nftables;
import dev.jcontainers.linux.net.NetworkNamespace;
import dev.jcontainers.linux.net.Sysctl;
import dev.jcontainers.testkit.Requirements;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.List;
import java.util.concurrent.Callable;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Our nftables table against the real kernel, only inside a network namespace made for each test (entered
 * by a dedicated thread); closing it drops the table with it. Nothing here touches the JVM's namespace.
 */
class NatTableTest {
    private static final Inet4Address C1 = (Inet4Address) InetAddress.ofLiteral("10.213.7.2");
    private static final Inet4Address C2 = (Inet4Address) InetAddress.ofLiteral("10.213.7.3");
    private static final Inet4Address LOOPBACK = (Inet4Address) InetAddress.ofLiteral("127.0.0.1");
    private static final Inet4Address SUBNET = (Inet4Address) InetAddress.ofLiteral("10.213.7.0");

    private NetworkNamespace ns;
    private boolean jvmNamespaceHadTable;

    @BeforeEach
    void namespace() {
        Requirements.requireRoot();
        Requirements.require(Nftables.available(), Nftables.LIBRARY + " is not installed");
        jvmNamespaceHadTable = NatTable.exists(); // only looks
        ns = NetworkNamespace.create();
    }

    @AfterEach
    void close() {
        if (ns != null) {
            ns.close();
            assertThat(NatTable.exists()).as("the JVM's own namespace is left alone").isEqualTo(jvmNamespaceHadTable);
        }
    }

    private <T> T inside(Callable<T> task) throws Exception {
        return ns.call(task);
    }

    @Test
    void ensureIsIdempotentAndLaysOutTheTable() throws Exception {
        String table = inside(() -> {
            assertThat(NatTable.exists()).isFalse();
            NatTable.ensure();
            NatTable.ensure();
            return NatTable.describe();
        });
        assertThat(table).contains("map ports {", "map ports_ip {", "set bridges {", "set subnets {",
                "type nat hook prerouting priority dstnat", "type nat hook output priority -100",
                "type nat hook postrouting priority srcnat");
        assertThat(table.lines().filter(l -> l.contains("jump publish"))).hasSize(2);
        assertThat(table.lines().filter(l -> l.contains("masquerade"))).hasSize(3);
        assertThat(table).contains("set internal {", "type filter hook forward priority filter");
        assertThat(table.lines().filter(l -> l.strip().endsWith("drop"))).hasSize(3);
    }

    @Test
    void publishesAndUnpublishesByKey() throws Exception {
        NatTable.PortMapping any = new NatTable.PortMapping(null, "tcp", 8080, C1, 80);
        NatTable.PortMapping local = new NatTable.PortMapping(LOOPBACK, "udp", 5353, C1, 53);
        String published = inside(() -> {
            NatTable.publish(List.of(any, local));
            return NatTable.describe();
        });
        assertThat(published).contains("tcp . 8080 : 10.213.7.2 . 80", "127.0.0.1 . udp . 5353 : 10.213.7.2 . 53");

        String after = inside(() -> {
            NatTable.unpublish(List.of(any, local));
            NatTable.unpublish(List.of(any)); // gone already: fine
            return NatTable.describe();
        });
        assertThat(after).doesNotContain("8080", "5353");

        String partly = inside(() -> {
            NatTable.publish(List.of(any));
            NatTable.unpublish(List.of(local, any)); // local is gone already: any must go all the same
            return NatTable.describe();
        });
        assertThat(partly).doesNotContain("8080");
    }

    @Test
    void aTakenHostPortIsRefusedAndNothingOfTheBatchIsApplied() throws Exception {
        String table = inside(() -> {
            NatTable.publish(List.of(new NatTable.PortMapping(null, "tcp", 8080, C1, 80)));
            assertThatThrownBy(() -> NatTable.publish(List.of(new NatTable.PortMapping(null, "tcp", 9090, C2, 90),
                    new NatTable.PortMapping(null, "tcp", 8080, C2, 80))))
                    .isInstanceOf(PortInUseException.class).hasMessageContaining("File exists");
            // the same port number over udp is another mapping
            NatTable.publish(List.of(new NatTable.PortMapping(null, "udp", 8080, C2, 80)));
            return NatTable.describe();
        });
        assertThat(table).contains("tcp . 8080 : 10.213.7.2 . 80", "udp . 8080 : 10.213.7.3 . 80")
                .doesNotContain("9090");
    }

    @Test
    void networksJoinAndLeaveTheMasqueradeSets() throws Exception {
        String joined = inside(() -> {
            NatTable.addNetwork("br-test", SUBNET, 24);
            NatTable.addNetwork("br-test", SUBNET, 24);
            return NatTable.describe();
        });
        assertThat(joined).contains("\"br-test\" . \"br-test\"", "10.213.7.0/24");
        String left = inside(() -> {
            NatTable.removeNetwork("br-test", SUBNET, 24);
            NatTable.removeNetwork("br-test", SUBNET, 24);
            return NatTable.describe();
        });
        assertThat(left).doesNotContain("br-test", "10.213.7.0/24");
        String internal = inside(() -> {
            NatTable.addInternalNetwork("br-int");
            return NatTable.describe();
        });
        assertThat(internal).contains("\"br-int\" . \"br-int\"");
        assertThat(inside(() -> {
            NatTable.removeInternalNetwork("br-int");
            NatTable.removeInternalNetwork("br-int");
            return NatTable.describe();
        })).doesNotContain("br-int");
        boolean created = inside(() -> {
            Nft.run("delete table ip " + NatTable.NAME);
            assertThatThrownBy(() -> NatTable.addNetwork("bad\"name", SUBNET, 24))
                    .isInstanceOf(IllegalArgumentException.class);
            return NatTable.exists();
        });
        assertThat(created).as("a refused name creates nothing").isFalse();
    }

    @Test
    void sysctlsAreThoseOfTheCallingThreadsNamespace() throws Exception {
        boolean hostForwarding = Sysctl.ipForward();
        boolean inNamespace = inside(() -> {
            Sysctl.setIpForward(true);
            return Sysctl.ipForward();
        });
        assertThat(inNamespace).isTrue();
        assertThat(Sysctl.ipForward()).isEqualTo(hostForwarding);
    }

    @Test
    void scriptErrorsCarryTheLibrarysDiagnostic() throws Exception {
        NftException e = inside(() -> {
            try {
                Nft.run("list table ip no_such_table_here");
                return null;
            } catch (NftException failure) {
                return failure;
            }
        });
        assertThat(e).isNotNull();
        assertThat(e.notFound()).isTrue();
        assertThat(e.getMessage()).contains("No such file or directory");
    }
}
