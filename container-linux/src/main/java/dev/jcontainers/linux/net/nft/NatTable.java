package dev.jcontainers.linux.net.nft;

import java.net.Inet4Address;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Our own nftables table, {@code ip jcontainers}, which does for bridge networks what Docker's iptables
 * rules do. Its rules are fixed; what changes are the elements of its sets and maps, added and deleted by
 * key, so nothing needs a rule handle and every change is one atomic transaction:
 *
 * <ul>
 * <li>{@code ports} and {@code ports_ip}: published ports, {@code proto . port} (any host address) and
 * {@code address . proto . port} (one host address) to {@code container address . port}. The
 * {@code publish} chain DNATs through them, jumped to from {@code prerouting} (traffic from outside and
 * from containers) and {@code output} (the host's own traffic), both only for destinations local to the
 * host ({@code fib daddr type local}).
 * <li>{@code bridges} and {@code subnets}: the bridges and subnets of networks with outbound access.
 * {@code postrouting} masquerades what leaves such a subnet by another interface (outbound NAT), what the
 * host sent from 127.0.0.0/8 into a bridge (publishing on loopback, with {@code route_localnet} on the
 * bridge), and DNATed traffic from a container to a container on the bridge (hairpin: without it the reply
 * would go straight back, from an address the client never talked to).
 * <li>{@code internal}: the bridges of {@code --internal} networks. The {@code forward} chain drops what
 * would be routed into or out of them, and what would be routed from one bridge network to another unless
 * it was DNATed to a published port (Docker's isolation between networks). Traffic within one bridge is
 * switched, not routed, but meets the chain all the same where {@code br_netfilter} is loaded (it then
 * comes in and goes out by the bridge): {@code same_bridge}, one {@code bridge . bridge} element per bridge,
 * lets it through first.
 * </ul>
 *
 * Every call runs in the calling thread's network namespace.
 */
public final class NatTable {
    public static final String FAMILY = "ip";
    public static final String NAME = "jcontainers";
    private static final String TABLE = FAMILY + " " + NAME;
    private static final Pattern IFNAME = Pattern.compile("[a-zA-Z0-9_.-]{1,15}");

    private NatTable() {
    }

    /** One published port: {@code hostAddress} null means every address of the host. */
    public record PortMapping(Inet4Address hostAddress, String protocol, int hostPort, Inet4Address containerAddress,
                              int containerPort) {
        public PortMapping {
            Objects.requireNonNull(containerAddress, "containerAddress");
            if (!protocol.equals("tcp") && !protocol.equals("udp")) {
                throw new IllegalArgumentException("protocol must be tcp or udp: " + protocol);
            }
            if (hostPort < 1 || hostPort > 65535 || containerPort < 1 || containerPort > 65535) {
                throw new IllegalArgumentException("invalid port mapping " + hostPort + ":" + containerPort);
            }
        }

        String map() {
            return hostAddress == null ? "ports" : "ports_ip";
        }

        String key() {
            return (hostAddress == null ? "" : hostAddress.getHostAddress() + " . ") + protocol + " . " + hostPort;
        }

        String element() {
            return key() + " : " + containerAddress.getHostAddress() + " . " + containerPort;
        }
    }

    /** Creates the table with its chains, sets and rules unless it exists; safe to race with another engine. */
    public static void ensure() {
        try {
            Nft.run(String.join("\n",
                    "create table " + TABLE,
                    "add map " + TABLE + " ports { type inet_proto . inet_service : ipv4_addr . inet_service; }",
                    "add map " + TABLE + " ports_ip { type ipv4_addr . inet_proto . inet_service : ipv4_addr . inet_service; }",
                    "add set " + TABLE + " bridges { type ifname; }",
                    "add set " + TABLE + " subnets { type ipv4_addr; flags interval; }",
                    "add set " + TABLE + " internal { type ifname; }",
                    "add set " + TABLE + " same_bridge { type ifname . ifname; }",
                    "add chain " + TABLE + " publish",
                    "add rule " + TABLE + " publish dnat ip to ip daddr . meta l4proto . th dport map @ports_ip",
                    "add rule " + TABLE + " publish dnat ip to meta l4proto . th dport map @ports",
                    "add chain " + TABLE + " prerouting { type nat hook prerouting priority dstnat; policy accept; }",
                    "add rule " + TABLE + " prerouting fib daddr type local jump publish",
                    "add chain " + TABLE + " output { type nat hook output priority -100; policy accept; }",
                    "add rule " + TABLE + " output fib daddr type local jump publish",
                    "add chain " + TABLE + " postrouting { type nat hook postrouting priority srcnat; policy accept; }",
                    "add rule " + TABLE + " postrouting ip saddr @subnets oifname != @bridges masquerade",
                    "add rule " + TABLE + " postrouting ip saddr 127.0.0.0/8 oifname @bridges masquerade",
                    "add rule " + TABLE + " postrouting ct status dnat ip saddr @subnets oifname @bridges masquerade",
                    "add chain " + TABLE + " forward { type filter hook forward priority filter; policy accept; }",
                    "add rule " + TABLE + " forward iifname . oifname @same_bridge accept",
                    "add rule " + TABLE + " forward iifname @internal drop",
                    "add rule " + TABLE + " forward oifname @internal drop",
                    "add rule " + TABLE + " forward ct status dnat accept",
                    "add rule " + TABLE + " forward iifname @bridges oifname @bridges drop",
                    ""));
        } catch (NftException e) {
            if (!e.alreadyExists()) {
                throw e;
            }
        }
    }

    /** Whether our table exists in this namespace. */
    public static boolean exists() {
        try {
            Nft.run("list table " + TABLE);
            return true;
        } catch (NftablesUnavailableException e) {
            throw e;
        } catch (NftException e) {
            if (e.notFound()) {
                return false;
            }
            throw e;
        }
    }

    /** Gives the network of {@code bridge} outbound NAT and hairpin/loopback publishing; safe to repeat. */
    public static void addNetwork(String bridge, Inet4Address network, int prefixLength) {
        String name = quoted(bridge); // refused before anything is created
        runCreatingTable("add element " + TABLE + " same_bridge { " + name + " . " + name + " }\n"
                + "add element " + TABLE + " bridges { " + name + " }\n"
                + "add element " + TABLE + " subnets { " + network.getHostAddress() + "/" + prefixLength + " }\n");
    }

    /** Undoes {@link #addNetwork}; absent elements (or table) are fine. */
    public static void removeNetwork(String bridge, Inet4Address network, int prefixLength) {
        String name = quoted(bridge);
        deleteIfPresent(List.of(new Element("bridges", name), new Element("same_bridge", name + " . " + name),
                new Element("subnets", network.getHostAddress() + "/" + prefixLength)));
    }

    /** Cuts the {@code --internal} network of {@code bridge} off from routing; safe to repeat. */
    public static void addInternalNetwork(String bridge) {
        String name = quoted(bridge);
        runCreatingTable("add element " + TABLE + " same_bridge { " + name + " . " + name + " }\n"
                + "add element " + TABLE + " internal { " + name + " }\n");
    }

    /** Undoes {@link #addInternalNetwork}; an absent element (or table) is fine. */
    public static void removeInternalNetwork(String bridge) {
        String name = quoted(bridge);
        deleteIfPresent(List.of(new Element("internal", name), new Element("same_bridge", name + " . " + name)));
    }

    /**
     * Adds the mappings, all or none. A host port already mapped (by any container of any engine) is
     * refused with {@link PortInUseException}.
     */
    public static void publish(List<PortMapping> mappings) {
        if (mappings.isEmpty()) {
            return;
        }
        StringBuilder script = new StringBuilder();
        for (PortMapping m : mappings) {
            script.append("create element ").append(TABLE).append(' ').append(m.map()).append(" { ")
                    .append(m.element()).append(" }\n");
        }
        try {
            runCreatingTable(script.toString());
        } catch (NftException e) {
            if (e.alreadyExists()) {
                throw new PortInUseException(e);
            }
            throw e;
        }
    }

    /** Deletes the mappings by their host side; one already gone (or no table at all) is fine. */
    public static void unpublish(List<PortMapping> mappings) {
        deleteIfPresent(mappings.stream().map(m -> new Element(m.map(), m.key())).toList());
    }

    /** The table as {@code nft list} prints it, for diagnostics; empty when there is none. */
    public static String describe() {
        return exists() ? Nft.run("list table " + TABLE) : "";
    }

    /** Runs {@code script}; when it failed for want of the table, creates the table and runs it once more. */
    private static void runCreatingTable(String script) {
        try {
            Nft.run(script);
        } catch (NftablesUnavailableException e) {
            throw e;
        } catch (NftException e) {
            if (!e.notFound()) {
                throw e;
            }
            ensure();
            Nft.run(script);
        }
    }

    /** An element of one of our sets or maps, by key. */
    private record Element(String setOrMap, String key) {
        String delete() {
            return "delete element " + TABLE + " " + setOrMap + " { " + key + " }\n";
        }
    }

    /**
     * Deletes the elements in one transaction: a deletion costs the kernel an RCU grace period per transaction
     * (~15 ms measured, against 0.5 ms for an addition). When some are gone already, which fails the whole
     * transaction, they are deleted one by one, ignoring those.
     */
    private static void deleteIfPresent(List<Element> elements) {
        if (elements.isEmpty() || !dev.jcontainers.linux.ffm.Nftables.available()) {
            return; // without the library nothing of ours can be in the kernel
        }
        try {
            Nft.run(String.join("", elements.stream().map(Element::delete).toList()));
            return;
        } catch (NftablesUnavailableException e) {
            throw e;
        } catch (NftException e) {
            if (!e.notFound()) {
                throw e;
            }
        }
        for (Element element : elements) {
            try {
                Nft.run(element.delete());
            } catch (NftException e) {
                if (!e.notFound()) {
                    throw e;
                }
            }
        }
    }

    private static String quoted(String ifname) {
        if (!IFNAME.matcher(ifname).matches()) {
            throw new IllegalArgumentException("invalid interface name: " + ifname);
        }
        return "\"" + ifname + "\"";
    }
}
