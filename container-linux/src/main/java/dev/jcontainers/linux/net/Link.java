package dev.jcontainers.linux.net;

import dev.jcontainers.linux.ffm.Rtnetlink;

/**
 * A network interface as RTM_GETLINK reports it.
 *
 * @param index       the interface index, unique within its network namespace
 * @param name        e.g. {@code eth0}
 * @param kind        the rtnetlink link kind ({@code bridge}, {@code veth}, ...), or null for devices
 *                    without one (loopback, physical NICs)
 * @param type        the ARPHRD_* hardware type ({@code 1} for Ethernet, {@code 772} for loopback)
 * @param mtu         the MTU in bytes
 * @param flags       the IFF_* device flags
 * @param masterIndex index of the bridge (or other master) this link is enslaved to, 0 for none
 * @param mac         hardware address as {@code aa:bb:cc:dd:ee:ff}, or null when the link has none
 * @param gsoIpv4MaxSize the largest IPv4 TCP segment-offload packet the stack builds for this link (65536
 *                    unless raised: BIG TCP), 0 when the kernel does not report it (before Linux 6.3)
 */
public record Link(int index, String name, String kind, int type, int mtu, int flags, int masterIndex, String mac,
                   int gsoIpv4MaxSize) {

    /** Administratively up (IFF_UP), whether or not a carrier is present. */
    public boolean isUp() {
        return (flags & Rtnetlink.IFF_UP) != 0;
    }

    public boolean hasMaster() {
        return masterIndex != 0;
    }
}
