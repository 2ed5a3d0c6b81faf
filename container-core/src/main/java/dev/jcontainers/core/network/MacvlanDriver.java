package dev.jcontainers.core.network;

import dev.jcontainers.api.ContainerException;
import dev.jcontainers.linux.net.NetlinkSession;

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

    /** Wires the container {@code sessions} reach; returns the link's name inside, {@code iface}. */
    static String plug(WiringSessions sessions, NetworkRecord network, String ipAddress, String iface) {
        sessions.host().createMacvlan(iface, network.options().get("parent"), sessions.namespace().fd());
        try {
            BridgeDriver.configureInside(sessions.inside(), network, ipAddress, iface);
        } catch (RuntimeException e) {
            try {
                sessions.inside().deleteLink(iface);
            } catch (RuntimeException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
        return iface;
    }
}
