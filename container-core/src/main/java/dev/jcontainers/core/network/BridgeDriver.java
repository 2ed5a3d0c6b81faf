package dev.jcontainers.core.network;

import dev.jcontainers.linux.ffm.Errno;
import dev.jcontainers.linux.ffm.NetlinkSocket;
import dev.jcontainers.linux.net.NetlinkException;
import dev.jcontainers.linux.net.NetlinkSession;
import dev.jcontainers.linux.net.NetworkNamespace;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The kernel side of a bridge network, all through rtnetlink: the bridge in the host's namespace with the
 * gateway address, and per container a veth pair with one end on the bridge and the other as {@code eth0}
 * in the container's namespace. No NAT and no forwarding: traffic stays between the containers and the host.
 */
final class BridgeDriver {
    static final int MTU = 1500;
    static final String CONTAINER_LINK = "eth0";
    private static final SecureRandom RANDOM = new SecureRandom();

    /** Creates the bridge if missing, gives it the gateway address, brings it up; safe to repeat. */
    void ensureBridge(NetworkRecord network) {
        Subnet subnet = network.parsedSubnet();
        try (NetlinkSession host = NetlinkSession.open()) {
            if (host.findLink(network.bridge()).isEmpty()) {
                ignoring(Errno.EEXIST, () -> host.createBridge(network.bridge(), MTU));
            }
            ignoring(Errno.EEXIST, () -> host.addAddress(network.bridge(),
                    Subnet.toInetAddress(network.parsedGateway()), subnet.length()));
            host.setLinkUp(network.bridge());
        }
    }

    /**
     * Wires the container whose process is {@code pid}: a veth pair whose peer is created directly inside the
     * container's namespace as {@code eth0} (it never appears on the host under a temporary name), the host
     * end on the bridge, then address, {@code lo} and {@code eth0} up and, unless the network is internal,
     * the default route via the gateway. Returns the host end's name; on failure nothing is left behind.
     */
    String plug(NetworkRecord network, String ipAddress, long pid) {
        String veth = "veth" + HexFormat.of().toHexDigits(RANDOM.nextInt());
        Subnet subnet = network.parsedSubnet();
        try (NetworkNamespace ns = NetworkNamespace.open(netnsOf(pid)); NetlinkSession host = NetlinkSession.open()) {
            host.createVethPair(veth, CONTAINER_LINK, MTU, ns.fd());
            try {
                host.setMaster(veth, network.bridge());
                host.setLinkUp(veth);
                try (NetlinkSession inside = ns.openSession()) {
                    inside.addAddress(CONTAINER_LINK, Subnet.toInetAddress(Subnet.parseAddress(ipAddress)), subnet.length());
                    inside.setLinkUp("lo");
                    inside.setLinkUp(CONTAINER_LINK);
                    if (!network.internal()) {
                        inside.addRoute(null, Subnet.toInetAddress(network.parsedGateway()), CONTAINER_LINK);
                    }
                }
            } catch (RuntimeException e) {
                try {
                    unplug(veth);
                } catch (RuntimeException cleanup) {
                    e.addSuppressed(cleanup);
                }
                throw e;
            }
        }
        return veth;
    }

    /** Brings up {@code lo} in the namespace of {@code pid}: all a container without a network gets. */
    void loopbackOnly(long pid) {
        try (NetlinkSession inside = NetlinkSession.openIn(netnsOf(pid))) {
            inside.setLinkUp("lo");
        }
    }

    /** Deletes the host end of a veth pair, and with it the container's {@code eth0}; gone already is fine. */
    void unplug(String veth) {
        try (NetlinkSession host = NetlinkSession.open()) {
            ignoring(NetlinkSocket.ENODEV, () -> host.deleteLink(veth));
        }
    }

    void removeBridge(String bridge) {
        try (NetlinkSession host = NetlinkSession.open()) {
            ignoring(NetlinkSocket.ENODEV, () -> host.deleteLink(bridge));
        }
    }

    static Path netnsOf(long pid) {
        return Path.of("/proc", Long.toString(pid), "ns", "net");
    }

    private static void ignoring(int errno, Runnable request) {
        try {
            request.run();
        } catch (NetlinkException e) {
            if (e.errno() != errno) {
                throw e;
            }
        }
    }
}
