package dev.jcontainers.core.network;

import dev.jcontainers.linux.ffm.Errno;
import dev.jcontainers.linux.ffm.NetlinkSocket;
import dev.jcontainers.linux.net.Link;
import dev.jcontainers.linux.net.NetlinkException;
import dev.jcontainers.linux.net.NetlinkSession;

import java.net.InetAddress;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;

/**
 * The kernel side of a bridge network, all through rtnetlink: the bridge in the host's namespace with the
 * gateway address, and per container a veth pair with one end on the bridge and the other as {@code eth0}
 * in the container's namespace. No NAT and no forwarding: traffic stays between the containers and the host.
 */
final class BridgeDriver {
    static final int MTU = 1500;
    /** Docker's bridge option for the MTU of the bridge and its veth pairs. */
    static final String MTU_OPTION = "com.docker.network.driver.mtu";
    static final String CONTAINER_LINK = "eth0";
    private static final SecureRandom RANDOM = new SecureRandom();

    /**
     * Creates the bridge if missing, gives it the gateway address, brings it up; safe to repeat. A bridge that
     * is up is complete (it goes up last), which spares every later container start two requests. Returns
     * the bridge's link index.
     */
    private static int ensureBridge(NetlinkSession host, NetworkRecord network) {
        Optional<Link> existing = host.findLink(network.bridge());
        if (existing.isPresent() && existing.get().isUp()) {
            return existing.get().index();
        }
        if (existing.isEmpty()) {
            ignoring(Errno.EEXIST, () -> host.createBridge(network.bridge(), mtuOf(network)));
        }
        ignoring(Errno.EEXIST, () -> host.addAddress(network.bridge(),
                Subnet.toInetAddress(network.parsedGateway()), network.parsedSubnet().length()));
        host.setLinkUp(network.bridge());
        return host.linkIndex(network.bridge());
    }

    /**
     * Wires the container {@code sessions} reach: the bridge made if missing, then a veth pair whose
     * peer is created directly inside the container's namespace as {@code iface} (it never appears on the
     * host under a temporary name) and whose host end is created on the bridge and up, in one request; then
     * the container side configured ({@link #configureInside}). Returns the host end's name; on failure
     * nothing is left behind but the bridge.
     */
    String plug(WiringSessions sessions, NetworkRecord network, String ipAddress, String iface) {
        String veth = "veth" + HexFormat.of().toHexDigits(RANDOM.nextInt());
        NetlinkSession host = sessions.host();
        int bridgeIndex = ensureBridge(host, network);
        host.createVethPair(veth, iface, mtuOf(network), sessions.namespace().fd(), bridgeIndex);
        try {
            configureInside(sessions.inside(), network, ipAddress, iface);
        } catch (RuntimeException e) {
            try {
                ignoring(NetlinkSocket.ENODEV, () -> host.deleteLink(veth));
            } catch (RuntimeException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
        return veth;
    }

    /**
     * Inside the container ({@code inside}: a session in its namespace, {@link WiringSessions}, which has
     * brought {@code lo} up): the address on {@code iface}, {@code iface} up and, unless the network is
     * internal, the default route via its gateway (a container on several networks keeps the default route of
     * the first, as Docker does). Two round trips: the interface's index, then the rest in one batch.
     */
    static void configureInside(NetlinkSession inside, NetworkRecord network, String ipAddress, String iface) {
        int index = inside.linkIndex(iface);
        NetlinkSession.Batch batch = inside.batch()
                .addAddress(index, iface, InetAddress.ofLiteral(ipAddress), network.parsedSubnet().length())
                .setLinkUp(iface);
        if (!network.internal()) {
            batch.addRouteUnlessPresent(null, Subnet.toInetAddress(network.parsedGateway()), index, iface);
        }
        batch.send();
    }

    /** Deletes a link inside the namespace of {@code pid} (a macvlan link); gone already is fine. */
    static void deleteInside(long pid, String link) {
        try (NetlinkSession inside = NetlinkSession.openIn(netnsOf(pid))) {
            ignoring(NetlinkSocket.ENODEV, () -> inside.deleteLink(link));
        }
    }

    /** Brings up {@code lo} in the namespace of {@code pid}: all a container without a network gets. */
    void loopbackOnly(long pid) {
        try (NetlinkSession inside = NetlinkSession.openIn(netnsOf(pid))) {
            inside.setLinkUp("lo");
        }
    }

    /** Deletes the host end of a veth pair, and with it the container's {@code eth0}; gone already is fine. */
    void unplug(String veth) {
        deleteHostLink(veth);
    }

    /** Deletes the network's bridge; gone already is fine. */
    void removeBridge(String bridge) {
        deleteHostLink(bridge);
    }

    private static void deleteHostLink(String link) {
        try (NetlinkSession host = NetlinkSession.open()) {
            ignoring(NetlinkSocket.ENODEV, () -> host.deleteLink(link));
        }
    }

    /**
     * The network's MTU: 1500 unless set by {@link #MTU_OPTION}. A larger one (up to 65535, as loopback's) makes
     * traffic between containers cheaper per byte; traffic routed off the bridge then meets the host's MTU.
     */
    static int mtuOf(NetworkRecord network) {
        String value = network.options().get(MTU_OPTION);
        if (value == null) {
            return MTU;
        }
        try {
            int mtu = Integer.parseInt(value.strip());
            if (mtu >= 68 && mtu <= 65535) {
                return mtu;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw new IllegalArgumentException("invalid " + MTU_OPTION + " \"" + value + "\": an MTU is 68 to 65535");
    }

    static Path netnsOf(long pid) {
        return Path.of("/proc", Long.toString(pid), "ns", "net");
    }

    static void ignoring(int errno, Runnable request) {
        try {
            request.run();
        } catch (NetlinkException e) {
            if (e.errno() != errno) {
                throw e;
            }
        }
    }
}
