package dev.jcontainers.core.network;

import dev.jcontainers.api.ContainerException;
import dev.jcontainers.core.network.dns.DnsServer;
import dev.jcontainers.linux.net.NetlinkSession;
import dev.jcontainers.linux.net.NetworkNamespace;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * What wiring a running container takes, opened once for all its networks: its network namespace, an rtnetlink
 * session in the host's namespace, and in the container's namespace an rtnetlink session (with {@code lo} up by
 * then) and the embedded DNS server's sockets. The sockets inside can only be made by a thread that entered the
 * namespace; that thread is started first, and the caller reads the records and creates the veth pair meanwhile
 * (a thread's start and {@code setns} cost a fraction of a millisecond, more on a busy machine).
 */
final class WiringSessions implements AutoCloseable {
    private final NetworkNamespace namespace;
    private final CompletableFuture<Inside> inside;
    private final NetlinkSession host;
    private boolean dnsTaken;

    private WiringSessions(NetworkNamespace namespace, CompletableFuture<Inside> inside, NetlinkSession host) {
        this.namespace = namespace;
        this.inside = inside;
        this.host = host;
    }

    /** For the container whose process is {@code pid}. */
    static WiringSessions open(long pid) {
        NetworkNamespace ns = NetworkNamespace.open(BridgeDriver.netnsOf(pid));
        CompletableFuture<Inside> inside;
        try {
            inside = ns.submit(Inside::open);
        } catch (RuntimeException | Error e) {
            ns.close();
            throw e;
        }
        try {
            return new WiringSessions(ns, inside, NetlinkSession.open());
        } catch (RuntimeException | Error e) {
            closeInside(inside, false);
            ns.close();
            throw e;
        }
    }

    /**
     * The sockets made inside the namespace, by its thread; {@code lo} is brought up first: a socket bound to
     * 127.0.0.11 while {@code lo} is down sends its replies from 127.0.0.1, which resolvers drop.
     */
    private record Inside(NetlinkSession netlink, DnsServer.Sockets dns) {
        static Inside open() throws IOException {
            NetlinkSession netlink = NetlinkSession.open();
            try {
                netlink.setLinkUp("lo");
                return new Inside(netlink, DnsServer.openSockets());
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

    /** The session inside the container's namespace, waiting for its thread if need be. */
    NetlinkSession inside() {
        return awaitInside().netlink();
    }

    /** The DNS sockets, handed over to the caller; closed with these sessions if they were not taken. */
    DnsServer.Sockets takeDnsSockets() {
        DnsServer.Sockets socket = awaitInside().dns();
        dnsTaken = true;
        return socket;
    }

    private Inside awaitInside() {
        try {
            return inside.join();
        } catch (CompletionException e) {
            switch (e.getCause()) {
                case RuntimeException r -> throw r;
                case Error error -> throw error;
                case Throwable t -> throw new ContainerException("cannot open sockets in the container's network "
                        + "namespace (" + namespace + "): " + t.getMessage(), t);
            }
        }
    }

    /** Waits for the thread inside (it must leave the namespace's descriptor alone before that is closed). */
    @Override
    public void close() {
        try (namespace; host) {
            closeInside(inside, dnsTaken);
        }
    }

    private static void closeInside(CompletableFuture<Inside> inside, boolean dnsTaken) {
        Inside made;
        try {
            made = inside.join();
        } catch (CompletionException e) {
            return; // nothing was made, or it was closed on the way
        }
        made.netlink().close();
        if (!dnsTaken) {
            made.dns().close();
        }
    }
}
