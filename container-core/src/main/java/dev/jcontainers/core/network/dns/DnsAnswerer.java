package dev.jcontainers.core.network.dns;

import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * One DNS query of one container, answered as Docker's embedded server does: container names, aliases and
 * short IDs of its networks from the {@link NameDirectory}; names that cannot be public ({@link LocalZones})
 * "no such name" at once; everything else forwarded to the upstream servers, or "server failure" when there
 * are none. The wire format is dnsjava's.
 */
public final class DnsAnswerer {
    /** Docker's TTL for container names: they change only when containers come and go. */
    static final long TTL = 600;
    /** What a client that does not say otherwise (EDNS) can take over UDP. */
    private static final int CLASSIC_UDP_SIZE = 512;

    /** A TCP response's length is two bytes: it is never truncated. */
    private static final int MAX_TCP = 65_535;

    /** How a query arrived, and so how large its response may be and how it is forwarded. */
    public enum Transport { UDP, TCP }

    private final NameDirectory directory;
    private final Resolver upstreamUdp;
    private final Resolver upstreamTcp;

    /**
     * {@code upstreamUdp} forwards the queries that came over UDP (retrying over TCP an answer that comes back
     * truncated, as dnsjava's resolvers do), {@code upstreamTcp} those that came over TCP; null forwards nothing.
     */
    public DnsAnswerer(NameDirectory directory, Resolver upstreamUdp, Resolver upstreamTcp) {
        this.directory = directory;
        this.upstreamUdp = upstreamUdp;
        this.upstreamTcp = upstreamTcp;
    }

    /**
     * The response's bytes for a query, at once for local names and when the upstream answered for the
     * others; empty for bytes that are not a query (dropped, as a server does with garbage). A UDP response
     * larger than the client takes is truncated (TC set), and the client asks again over TCP.
     */
    public CompletionStage<Optional<byte[]>> answer(String containerId, byte[] queryBytes, Transport transport) {
        Message query;
        try {
            query = new Message(queryBytes);
        } catch (IOException e) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
        if (query.getHeader().getFlag(Flags.QR)) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
        int limit = transport == Transport.TCP ? MAX_TCP
                : query.getOPT() == null ? CLASSIC_UDP_SIZE : Math.max(CLASSIC_UDP_SIZE, query.getOPT().getPayloadSize());
        Record question = query.getQuestion();
        if (query.getHeader().getOpcode() != Opcode.QUERY || question == null) {
            return done(reply(query, Rcode.NOTIMP), limit);
        }
        String name = question.getName().toString(true).toLowerCase(Locale.ROOT);
        List<InetAddress> addresses = question.getDClass() == DClass.IN ? directory.lookup(containerId, name) : List.of();
        if (!addresses.isEmpty()) {
            Message response = reply(query, Rcode.NOERROR);
            response.getHeader().setFlag(Flags.AA);
            for (InetAddress a : addresses) {
                int type = question.getType();
                if (a instanceof Inet4Address && (type == Type.A || type == Type.ANY)) {
                    response.addRecord(new ARecord(question.getName(), DClass.IN, TTL, a), Section.ANSWER);
                } else if (a instanceof Inet6Address && (type == Type.AAAA || type == Type.ANY)) {
                    response.addRecord(new AAAARecord(question.getName(), DClass.IN, TTL, a), Section.ANSWER);
                }
            }
            return done(response, limit);
        }
        if (LocalZones.contains(name)) {
            return done(reply(query, Rcode.NXDOMAIN), limit);
        }
        Resolver upstream = transport == Transport.TCP ? upstreamTcp : upstreamUdp;
        if (upstream == null) {
            return done(reply(query, Rcode.SERVFAIL), limit);
        }
        int id = query.getHeader().getID();
        return upstream.sendAsync(query.clone()).handle((response, failure) -> {
            Message m = failure != null ? reply(query, Rcode.SERVFAIL) : response;
            m.getHeader().setID(id);
            return Optional.of(m.toWire(limit));
        });
    }

    private static CompletionStage<Optional<byte[]>> done(Message response, int limit) {
        return CompletableFuture.completedFuture(Optional.of(response.toWire(limit)));
    }

    /** A response to {@code query} with its question, its ID and recursion flag, and {@code rcode}. */
    private static Message reply(Message query, int rcode) {
        Message response = new Message(query.getHeader().getID());
        response.getHeader().setFlag(Flags.QR);
        response.getHeader().setFlag(Flags.RA);
        if (query.getHeader().getFlag(Flags.RD)) {
            response.getHeader().setFlag(Flags.RD);
        }
        response.getHeader().setOpcode(query.getHeader().getOpcode());
        response.getHeader().setRcode(rcode);
        if (query.getQuestion() != null) {
            response.addRecord(query.getQuestion(), Section.QUESTION);
        }
        return response;
    }
}
