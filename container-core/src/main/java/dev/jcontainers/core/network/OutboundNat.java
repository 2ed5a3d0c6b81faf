package dev.jcontainers.core.network;

import dev.jcontainers.api.StorageException;
import dev.jcontainers.linux.net.Sysctl;
import dev.jcontainers.linux.net.nft.NatTable;

import java.io.IOException;
import java.net.Inet4Address;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/**
 * The host side of a bridge network with outbound access (any but {@code --internal}), set up when a
 * container is wired to it: its bridge and subnet join the masquerade sets of our nftables table,
 * {@code route_localnet} on the bridge lets the host's 127.0.0.1 reach published ports, and
 * {@code net.ipv4.ip_forward} is switched on if it was off. Docker does the same and never switches
 * forwarding back off (other software may rely on it by then); we record in {@code nat/ip_forward} that we
 * switched it on, and when. An internal network gets none of this: its bridge is cut off from routing.
 */
final class OutboundNat {
    private final Path stateDir;

    OutboundNat(Path root) {
        this.stateDir = root.resolve("nat");
    }

    /** Safe to repeat: set elements are keyed, the sysctls idempotent. */
    void enable(NetworkRecord network) {
        if (network.internal()) {
            NatTable.addInternalNetwork(network.bridge());
            return;
        }
        Subnet s = network.parsedSubnet();
        NatTable.addNetwork(network.bridge(), (Inet4Address) Subnet.toInetAddress(s.network()), s.length());
        Sysctl.setRouteLocalnet(network.bridge(), true);
        if (!Sysctl.ipForward()) {
            Sysctl.setIpForward(true);
            record("net.ipv4.ip_forward switched on by jcontainers at " + Instant.now() + " for network "
                    + network.name() + " (" + network.bridge() + "); it was off\n");
        }
    }

    /** When the network is removed: its elements go (its bridge, with its sysctls, goes anyway). */
    void disable(NetworkRecord network) {
        if (network.internal()) {
            NatTable.removeInternalNetwork(network.bridge());
            return;
        }
        Subnet s = network.parsedSubnet();
        NatTable.removeNetwork(network.bridge(), (Inet4Address) Subnet.toInetAddress(s.network()), s.length());
    }

    private void record(String line) {
        try {
            Files.createDirectories(stateDir);
            Files.writeString(stateDir.resolve("ip_forward"), line, java.nio.file.StandardOpenOption.CREATE,
                    java.nio.file.StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new StorageException("cannot record the ip_forward change in " + stateDir + ": " + e.getMessage(), e);
        }
    }
}
