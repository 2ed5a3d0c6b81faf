package dev.jcontainers.core.network;

import dev.jcontainers.core.network.dns.DnsServer;
import dev.jcontainers.linux.net.NetlinkSession;
import dev.jcontainers.linux.net.NetworkNamespace;

import java.io.IOException;
import java.nio.channels.DatagramChannel;

/**
 * What wiring a running container takes, opened once for all its networks: its network namespace, rtnetlink
 * sessions in the host's namespace and in the container's (where {@code lo} is then up), and, when it gets the
 * embedded DNS, the DNS socket bound in the container's namespace. Both sockets inside are made in a single visit of a thread that entered the
 * namespace ({@link NetworkNamespace#call}): each visit costs a thread and a {@code setns}, on every start.
 */
final class WiringSessions implements AutoCloseable {
    private final NetworkNamespace namespace;
    private final NetlinkSession host;
    private final NetlinkSession inside;
    private DatagramChannel dnsSocket;

    private WiringSessions(NetworkNamespace namespace, NetlinkSession host, NetlinkSession inside,
                           DatagramChannel dnsSocket) {
        this.namespace = namespace;
        this.host = host;
        this.inside = inside;
        this.dnsSocket = dnsSocket;
    }

    /** For the container whose process is {@code pid}; {@code withDns}: bind the DNS socket too. */
    static WiringSessions open(long pid, boolean withDns) {
        NetworkNamespace ns = NetworkNamespace.open(BridgeDriver.netnsOf(pid));
        NetlinkSession host = null;
        try {
            host = NetlinkSession.open();
            Inside in = ns.call(() -> Inside.open(withDns));
            return new WiringSessions(ns, host, in.netlink(), in.dns());
        } catch (Exception e) {
            if (host != null) {
                host.close();
            }
            ns.close();
            throw e instanceof RuntimeException r ? r : new IllegalStateException(e);
        }
    }

    /**
     * The sockets made inside the namespace, by its thread; {@code lo} is brought up first: a socket bound to
     * 127.0.0.11 while {@code lo} is down sends its replies from 127.0.0.1, which resolvers drop.
     */
    private record Inside(NetlinkSession netlink, DatagramChannel dns) {
        static Inside open(boolean withDns) throws IOException {
            NetlinkSession netlink = NetlinkSession.open();
            try {
                netlink.setLinkUp("lo");
                return new Inside(netlink, withDns ? DnsServer.openSocket() : null);
            } catch (IOException | RuntimeException e) {
                netlink.close();
                throw e;
            }
        }
    }

    NetworkNamespace namespace() {
        return namespace;
    }

    NetlinkSession host() {
        return host;
    }

    NetlinkSession inside() {
        return inside;
    }

    /** The DNS socket, handed over to the caller (closed with these sessions otherwise); null if none was bound. */
    DatagramChannel takeDnsSocket() {
        DatagramChannel socket = dnsSocket;
        dnsSocket = null;
        return socket;
    }

    @Override
    public void close() {
        try (namespace; host; inside) {
            if (dnsSocket != null) {
                dnsSocket.close();
            }
        } catch (IOException e) {
            // a socket that cannot close has nothing left to give back
        }
    }
}
