package dev.jcontainers.core.network;

import dev.jcontainers.api.ContainerException;
import dev.jcontainers.linux.net.NetlinkSession;
import dev.jcontainers.linux.net.NetworkNamespace;

/**
 * The kernel side of a macvlan network: per container a macvlan link in bridge mode on the network's parent
 * interface, created directly in the container's namespace. Nothing is made on the host, and nothing is left
 * to remove there: the link dies with the container's namespace.
 */
final class MacvlanDriver {
    private MacvlanDriver() {
    }

    /** Refuses a parent interface the host does not have. */
    static void checkParent(String parent) {
        try (NetlinkSession host = NetlinkSession.open()) {
            if (host.findLink(parent).isEmpty()) {
                throw new ContainerException("invalid subinterface vlan name " + parent
                        + ": the parent interface does not exist");
            }
        }
    }

    /** Wires the container whose process is {@code pid}; returns the link's name inside, {@code iface}. */
    static String plug(NetworkRecord network, String ipAddress, long pid, String iface) {
        String parent = network.options().get("parent");
        try (NetworkNamespace ns = NetworkNamespace.open(BridgeDriver.netnsOf(pid)); NetlinkSession host = NetlinkSession.open()) {
            host.createMacvlan(iface, parent, ns.fd());
            try {
                BridgeDriver.configureInside(ns, network, ipAddress, iface);
            } catch (RuntimeException e) {
                try (NetlinkSession inside = ns.openSession()) {
                    inside.deleteLink(iface);
                } catch (RuntimeException cleanup) {
                    e.addSuppressed(cleanup);
                }
                throw e;
            }
        }
        return iface;
    }
}
