package dev.jcontainers.core.network.dns;

import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

import static org.assertj.core.api.Assertions.assertThat;

/** The answers, without sockets: a directory of two names and an upstream that records what it is asked. */
class DnsAnswererTest {
    static final InetAddress API = InetAddress.ofLiteral("10.213.7.2");
    final Map<String, List<InetAddress>> names = Map.of("api", List.of(API), "db", List.of(InetAddress.ofLiteral("10.213.7.3")));
    final NameDirectory directory = (container, name) -> container.equals("c1") ? names.getOrDefault(name, List.of()) : List.of();
    final RecordingUpstream upstream = new RecordingUpstream();

    @Test
    void aContainerNameIsAnsweredWithItsAddressCaseInsensitively() throws Exception {
        Message r = ask(new DnsAnswerer(directory, upstream, upstream), "c1", "API.", Type.A);
        assertThat(r.getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(r.getHeader().getFlag(Flags.QR)).isTrue();
        assertThat(r.getHeader().getFlag(Flags.RD)).isTrue();
        assertThat(r.getSection(Section.ANSWER)).singleElement()
                .satisfies(a -> assertThat(((ARecord) a).getAddress()).isEqualTo(API));
        assertThat(upstream.asked).isEmpty();
    }

    @Test
    void aaaaOfAnIpv4OnlyContainerIsAnEmptyAnswerNotForwarded() throws Exception {
        Message r = ask(new DnsAnswerer(directory, upstream, upstream), "c1", "api.", Type.AAAA);
        assertThat(r.getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(r.getSection(Section.ANSWER)).isEmpty();
        assertThat(upstream.asked).isEmpty();
    }

    @Test
    void namesOfOtherNetworksAreUnknownToAContainer() throws Exception {
        Message r = ask(new DnsAnswerer(directory, upstream, upstream), "c2", "api.", Type.A);
        assertThat(r.getRcode()).isEqualTo(Rcode.NXDOMAIN);
        assertThat(upstream.asked).isEmpty();
    }

    @Test
    void reservedAndPrivateReverseNamesAreNeverForwarded() throws Exception {
        DnsAnswerer answerer = new DnsAnswerer(directory, upstream, upstream);
        for (String name : List.of("nothing.invalid.", "x.test.", "localhost.", "a.home.arpa.", "2.7.213.10.in-addr.arpa.",
                "1.0.20.172.in-addr.arpa.", "4.3.168.192.in-addr.arpa.", "unknown-single-label.")) {
            assertThat(ask(answerer, "c1", name, Type.A).getRcode()).as(name).isEqualTo(Rcode.NXDOMAIN);
        }
        assertThat(upstream.asked).isEmpty();
    }

    @Test
    void otherNamesGoUpstreamAndTheAnswerKeepsTheQueryId() throws Exception {
        Message r = ask(new DnsAnswerer(directory, upstream, upstream), "c1", "www.example.org.", Type.A);
        assertThat(upstream.asked).containsExactly("www.example.org.");
        assertThat(r.getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(r.getSection(Section.ANSWER)).singleElement().extracting(Record::rdataToString).isEqualTo("192.0.2.1");
    }

    @Test
    void withoutUpstreamOtherNamesFailAtOnce() throws Exception {
        assertThat(ask(new DnsAnswerer(directory, null, null), "c1", "www.example.org.", Type.A).getRcode())
                .isEqualTo(Rcode.SERVFAIL);
    }

    @Test
    void garbageAndResponsesAreDropped() {
        DnsAnswerer answerer = new DnsAnswerer(directory, upstream, upstream);
        assertThat(answerer.answer("c1", new byte[] {1, 2, 3}, DnsAnswerer.Transport.UDP).toCompletableFuture().join()).isEmpty();
        Message response = Message.newQuery(Record.newRecord(Name.fromConstantString("api."), Type.A, DClass.IN));
        response.getHeader().setFlag(Flags.QR);
        assertThat(answerer.answer("c1", response.toWire(), DnsAnswerer.Transport.UDP).toCompletableFuture().join()).isEmpty();
    }

    @Test
    void aLargeAnswerIsTruncatedOverUdpAndWholeOverTcpWhichIsForwardedOverTcp() throws Exception {
        RecordingUpstream overTcp = new RecordingUpstream();
        upstream.answers = 60;
        overTcp.answers = 60;
        DnsAnswerer answerer = new DnsAnswerer(directory, upstream, overTcp);
        Message udp = ask(answerer, "c1", "many.example.org.", Type.A);
        assertThat(udp.getHeader().getFlag(Flags.TC)).isTrue();
        assertThat(udp.getSection(Section.ANSWER).size()).isLessThan(60);
        assertThat(overTcp.asked).isEmpty();
        Message tcp = ask(answerer, "c1", "many.example.org.", Type.A, DnsAnswerer.Transport.TCP);
        assertThat(tcp.getHeader().getFlag(Flags.TC)).isFalse();
        assertThat(tcp.getSection(Section.ANSWER)).hasSize(60);
        assertThat(overTcp.asked).containsExactly("many.example.org.");
        assertThat(upstream.asked).containsExactly("many.example.org.");
    }

    private static Message ask(DnsAnswerer answerer, String container, String name, int type) throws Exception {
        return ask(answerer, container, name, type, DnsAnswerer.Transport.UDP);
    }

    private static Message ask(DnsAnswerer answerer, String container, String name, int type,
                               DnsAnswerer.Transport transport) throws Exception {
        Message query = Message.newQuery(Record.newRecord(Name.fromString(name), type, DClass.IN));
        byte[] bytes = answerer.answer(container, query.toWire(), transport).toCompletableFuture().join().orElseThrow();
        Message response = new Message(bytes);
        assertThat(response.getHeader().getID()).isEqualTo(query.getHeader().getID());
        assertThat(response.getQuestion()).isEqualTo(query.getQuestion());
        return response;
    }

    /** Answers every name with {@code answers} addresses of TEST-NET-1 under a different ID, and records the names. */
    static final class RecordingUpstream implements Resolver {
        final List<String> asked = new ArrayList<>();
        int answers = 1;

        @Override
        public CompletionStage<Message> sendAsync(Message query, Executor executor) {
            asked.add(query.getQuestion().getName().toString());
            Message r = new Message(query.getHeader().getID() ^ 0x5555);
            r.getHeader().setFlag(Flags.QR);
            r.addRecord(query.getQuestion(), Section.QUESTION);
            for (int i = 1; i <= answers; i++) {
                r.addRecord(new ARecord(query.getQuestion().getName(), DClass.IN, 60, InetAddress.ofLiteral("192.0.2." + i)),
                        Section.ANSWER);
            }
            return CompletableFuture.completedFuture(r);
        }

        @Override
        public CompletionStage<Message> sendAsync(Message query) {
            return sendAsync(query, Runnable::run);
        }

        @Override
        public void setPort(int port) {
        }

        @Override
        public void setTCP(boolean flag) {
        }

        @Override
        public void setIgnoreTruncation(boolean flag) {
        }

        @Override
        public void setEDNS(int version, int payloadSize, int flags, List<org.xbill.DNS.EDNSOption> options) {
        }

        @Override
        public void setTSIGKey(org.xbill.DNS.TSIG key) {
        }

        @Override
        public void setTimeout(Duration timeout) {
        }
    }
}
