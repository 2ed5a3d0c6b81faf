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

    private final NameDirectory directory;
    private final Resolver upstream;

    /** {@code upstream} null forwards nothing. */
    public DnsAnswerer(NameDirectory directory, Resolver upstream) {
        this.directory = directory;
        this.upstream = upstream;
    }

    /**
     * The response's bytes for a UDP query, at once for local names and when the upstream answered for the
     * others; empty for bytes that are not a query (dropped, as a server does with garbage).
     */
    public CompletionStage<Optional<byte[]>> answer(String containerId, byte[] queryBytes) {
        Message query;
        try {
            query = new Message(queryBytes);
        } catch (IOException e) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
        if (query.getHeader().getFlag(Flags.QR)) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
        int limit = query.getOPT() == null ? CLASSIC_UDP_SIZE : Math.max(CLASSIC_UDP_SIZE, query.getOPT().getPayloadSize());
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
