package dev.jcontainers.core.network;

import dev.jcontainers.api.Container;
import dev.jcontainers.api.EngineOptions;
import dev.jcontainers.api.NetworkInfo;
import dev.jcontainers.api.NetworkMode;
import dev.jcontainers.core.LocalEngine;
import dev.jcontainers.core.container.RuntimeTest;
import dev.jcontainers.linux.net.NetworkNamespace;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The embedded DNS server over TCP (RFC 7766), asked from inside a container's network namespace by a test
 * thread that entered it. Safety as in {@link NameResolutionTest}: the networks are /24s of 10.214.0.0/16 of this
 * run's own, without NAT, and the only upstream any engine here forwards to is {@link FakeUpstream}, on a random
 * address of 127.0.0.0/8.
 *
 * <p>The queries inside are sent over plain sockets, not dnsjava's resolver: that one's shared selector thread
 * (and the common pool it continues on) would be started by the thread in the container's namespace and stay
 * there, and the engine's own forwarding in this JVM would then go out from a namespace without the upstream.
 */
@RuntimeTest(repo = "dnstcp/busybox")
class DnsOverTcpTest {
    static LocalEngine engine;
    @RuntimeTest.Image
    static String image;
    @RuntimeTest.Root
    static Path root;
    static final List<String> bridges = new ArrayList<>();
    static final int THIRD_OCTET = ThreadLocalRandom.current().nextInt(0, 240);
    static final String SUFFIX = "-" + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x1000, 0xffff));
    static int nextSubnet = 0;
    static final InetSocketAddress EMBEDDED = new InetSocketAddress(InetAddress.ofLiteral("127.0.0.11"), 53);

    @RuntimeTest.AfterClose
    static void removeNetworks() {
        TestNetworks.removeAll(engine, bridges);
    }

    private static synchronized NetworkMode network(String name) {
        NetworkInfo n = engine.networks().create(name + SUFFIX, "10.214." + (THIRD_OCTET + nextSubnet++) + ".0/24", null, false);
        bridges.add(n.bridge());
        return NetworkMode.bridge(n.name());
    }

    private static Container start(LocalEngine on, String name, NetworkMode network) {
        return on.containers().builder().image(image).name(name + SUFFIX).network(network).command("sleep", "60").start();
    }

    /** Runs {@code task} on a thread inside the container's network namespace; sockets it opens stay there. */
    private static <T> T inside(Container c, Callable<T> task) throws Exception {
        try (NetworkNamespace ns = NetworkNamespace.open(Path.of("/proc", Long.toString(c.inspect().pid()), "ns", "net"))) {
            return ns.call(task);
        }
    }

    private static Message query(String name) throws IOException {
        return Message.newQuery(Record.newRecord(Name.fromString(name, Name.root), Type.A, DClass.IN));
    }

    @Test
    void aTcpQueryFromInsideResolvesAPeerContainersName() throws Exception {
        NetworkMode mode = network("tcp");
        try (Container asking = start(engine, "asking", mode); Container peer = start(engine, "peer", mode)) {
            String peerIp = engine.networks().addressOf(peer.id()).orElseThrow();
            Message response;
            try (Socket s = connect(asking)) {
                response = ask(s, query("peer" + SUFFIX));
            }
            assertThat(response.getRcode()).isEqualTo(Rcode.NOERROR);
            assertThat(response.getSection(Section.ANSWER)).singleElement()
                    .satisfies(a -> assertThat(((ARecord) a).getAddress().getHostAddress()).isEqualTo(peerIp));
        }
    }

    /**
     * The upstream truncates every UDP answer; the engine asks it again over TCP and hands the client as much as
     * it takes over UDP (truncated again: the answer is larger than the client's EDNS size), and all over TCP.
     */
    @Test
    void anAnswerTheUpstreamTruncatesReachesAClientThatRetriesOverTcp() throws Exception {
        try (FakeUpstream upstream = FakeUpstream.start(100);
             LocalEngine forwarding = new LocalEngine(EngineOptions.builder().root(root).dockerConfig(root.resolve("none.json"))
                     .dnsServers(List.of(upstream.address())).build())) {
            NetworkMode mode = network("fwd");
            try (Container c = start(forwarding, "fwd", mode)) {
                Message overUdp = askOverUdp(c, query("many.example.org."));
                assertThat(overUdp.getHeader().getFlag(Flags.TC)).as(overUdp.toString()).isTrue();
                assertThat(upstream.udpQueries.get()).isPositive();
                assertThat(upstream.tcpQueries.get()).as("the truncated UDP answer asked again over TCP").isPositive();
                Message overTcp;
                try (Socket s = connect(c)) {
                    overTcp = ask(s, query("many.example.org."));
                }
                assertThat(overTcp.getHeader().getFlag(Flags.TC)).isFalse();
                assertThat(overTcp.getSection(Section.ANSWER)).hasSize(100);
            }
        }
    }

    /**
     * Two queries in one write on one connection are both answered, after another connection was closed for a
     * frame longer than any query and a third for a frame that is not DNS.
     */
    @Test
    void aBadFrameClosesItsConnectionOnlyAndOneConnectionCarriesSeveralQueries() throws Exception {
        NetworkMode mode = network("frames");
        try (Container c = start(engine, "frames", mode)) {
            try (Socket good = connect(c); Socket oversized = connect(c); Socket garbage = connect(c)) {
                new DataOutputStream(oversized.getOutputStream()).writeShort(0xffff);
                assertThat(oversized.getInputStream().read()).as("closed by the server").isEqualTo(-1);
                DataOutputStream g = new DataOutputStream(garbage.getOutputStream());
                g.writeShort(3);
                g.write(new byte[] {1, 2, 3});
                assertThat(garbage.getInputStream().read()).as("closed by the server").isEqualTo(-1);

                Message first = query("frames" + SUFFIX);
                Message second = query("frames" + SUFFIX + ".");
                ByteBuffer both = ByteBuffer.allocate(4096);
                for (Message m : List.of(first, second)) {
                    byte[] wire = m.toWire();
                    both.putShort((short) wire.length).put(wire);
                }
                good.getOutputStream().write(both.array(), 0, both.position());
                DataInputStream in = new DataInputStream(good.getInputStream());
                List<Integer> ids = new ArrayList<>();
                for (int i = 0; i < 2; i++) {
                    byte[] response = new byte[in.readUnsignedShort()];
                    in.readFully(response);
                    Message m = new Message(response);
                    assertThat(m.getRcode()).isEqualTo(Rcode.NOERROR);
                    ids.add(m.getHeader().getID());
                }
                assertThat(ids).containsExactlyInAnyOrder(first.getHeader().getID(), second.getHeader().getID());
            }
        }
    }

    /** A connection left idle is closed by the server (after its 10 s idle timeout: this test takes as long). */
    @Test
    void anIdleConnectionIsClosedByTheServer() throws Exception {
        NetworkMode mode = network("idle");
        try (Container c = start(engine, "idle", mode); Socket s = connect(c)) {
            assertThat(ask(s, query("idle" + SUFFIX)).getRcode()).isEqualTo(Rcode.NOERROR);
            s.setSoTimeout(30_000);
            assertThat(s.getInputStream().read()).as("closed by the server").isEqualTo(-1);
        }
    }

    /** Connections over the per-container cap are closed at once; those within it keep being answered. */
    @Test
    void connectionsOverTheCapAreClosedAndTheOthersServed() throws Exception {
        NetworkMode mode = network("cap");
        try (Container c = start(engine, "cap", mode)) {
            List<Socket> open = new ArrayList<>();
            try {
                for (int i = 0; i < 16; i++) {
                    Socket s = connect(c);
                    open.add(s);
                    // answered: accepted and admitted before the next one connects
                    assertThat(ask(s, query("cap" + SUFFIX)).getRcode()).isEqualTo(Rcode.NOERROR);
                }
                try (Socket over = connect(c)) {
                    assertThat(over.getInputStream().read()).as("closed by the server").isEqualTo(-1);
                }
                assertThat(ask(open.getFirst(), query("cap" + SUFFIX)).getRcode()).isEqualTo(Rcode.NOERROR);
            } finally {
                for (Socket s : open) {
                    s.close();
                }
            }
        }
    }

    /**
     * The container's sockets and a connection its client still holds open are closed with the container: the
     * server's sockets are found by their inodes in the container's /proc/net tables (not by counting this JVM's
     * descriptors, which other threads, such as the test registry's connections, open and close meanwhile).
     */
    @Test
    void removingTheContainerClosesItsDnsSocketsAndConnections() throws Exception {
        NetworkMode mode = network("fds");
        Container c = start(engine, "counted", mode);
        boolean removed = false;
        try (Socket client = connect(c)) {
            assertThat(ask(client, query("counted" + SUFFIX)).getRcode()).isEqualTo(Rcode.NOERROR);
            Set<String> server = serverSockets(c.inspect().pid());
            assertThat(server).as("UDP socket, TCP listener and accepted connection").hasSize(3);
            assertThat(openSockets()).containsAll(server);
            c.remove(true);
            removed = true;
            // the selector releases closed descriptors on its own thread, woken by the removal
            assertThat(awaitClosed(server)).as("server sockets still open").isEmpty();
            assertThat(client.getInputStream().read()).as("the connection was closed by the server").isEqualTo(-1);
        } finally {
            if (!removed) {
                c.remove(true);
            }
        }
    }

    /** The inodes of the sockets on 127.0.0.11:53 in the namespace of {@code pid}: the embedded server's. */
    private static Set<String> serverSockets(long pid) throws IOException {
        Set<String> inodes = new HashSet<>();
        for (String table : List.of("udp", "tcp")) {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "net", table)).stream().skip(1).toList()) {
                String[] fields = line.trim().split("\\s+");
                if (fields[1].equals("0B00007F:0035")) { // local address 127.0.0.11:53, little-endian hex
                    inodes.add(fields[9]);
                }
            }
        }
        return inodes;
    }

    /** The inodes of this JVM's open sockets. */
    private static Set<String> openSockets() throws IOException {
        Set<String> inodes = new HashSet<>();
        try (var list = Files.list(Path.of("/proc/self/fd"))) {
            for (Path fd : (Iterable<Path>) list::iterator) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[")) {
                        inodes.add(target.substring("socket:[".length(), target.length() - 1));
                    }
                } catch (IOException closedMeanwhile) {
                    // closed since the listing
                }
            }
        }
        return inodes;
    }

    /** Those of {@code inodes} still open once none is, or after ten seconds. */
    private static Set<String> awaitClosed(Set<String> inodes) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            Set<String> open = openSockets();
            open.retainAll(inodes);
            if (open.isEmpty() || System.nanoTime() > deadline) {
                return open;
            }
            Thread.sleep(20);
        }
    }

    private static Socket connect(Container c) throws Exception {
        Socket s = inside(c, () -> {
            Socket socket = new Socket();
            try {
                socket.connect(EMBEDDED, 5_000);
                return socket;
            } catch (IOException e) {
                socket.close();
                throw e;
            }
        });
        s.setSoTimeout(10_000);
        return s;
    }

    /** A query with EDNS's common 1,232-byte size, over UDP from inside the container, and its answer. */
    private static Message askOverUdp(Container c, Message query) throws Exception {
        query.addRecord(new OPTRecord(1232, 0, 0), Section.ADDITIONAL);
        try (DatagramSocket socket = inside(c, () -> {
            DatagramSocket s = new DatagramSocket();
            s.connect(EMBEDDED);
            return s;
        })) {
            socket.setSoTimeout(10_000);
            byte[] wire = query.toWire();
            socket.send(new DatagramPacket(wire, wire.length));
            DatagramPacket answer = new DatagramPacket(new byte[65_535], 65_535);
            socket.receive(answer);
            return new Message(ByteBuffer.wrap(answer.getData(), 0, answer.getLength()));
        }
    }

    private static Message ask(Socket s, Message query) throws IOException {
        byte[] wire = query.toWire();
        DataOutputStream out = new DataOutputStream(s.getOutputStream());
        out.writeShort(wire.length);
        out.write(wire);
        DataInputStream in = new DataInputStream(s.getInputStream());
        byte[] response = new byte[in.readUnsignedShort()];
        in.readFully(response);
        return new Message(response);
    }

    /**
     * An upstream name server on a random loopback address: over UDP it answers every query truncated (TC, no
     * records), over TCP with {@code records} addresses of TEST-NET-1 and 2.
     */
    static final class FakeUpstream implements AutoCloseable {
        final AtomicInteger udpQueries = new AtomicInteger();
        final AtomicInteger tcpQueries = new AtomicInteger();
        private final DatagramSocket udp;
        private final ServerSocket tcp;
        private final int records;
        private final List<Thread> threads = new CopyOnWriteArrayList<>();
        private final List<Socket> connections = new ArrayList<>();

        private FakeUpstream(DatagramSocket udp, ServerSocket tcp, int records) {
            this.udp = udp;
            this.tcp = tcp;
            this.records = records;
        }

        static FakeUpstream start(int records) throws IOException {
            ThreadLocalRandom r = ThreadLocalRandom.current();
            InetSocketAddress address = new InetSocketAddress(InetAddress.ofLiteral(
                    "127." + r.nextInt(1, 255) + "." + r.nextInt(1, 255) + "." + r.nextInt(2, 255)), 53);
            DatagramSocket udp = new DatagramSocket(address);
            ServerSocket tcp;
            try {
                tcp = new ServerSocket(53, 8, address.getAddress());
            } catch (IOException e) {
                udp.close();
                throw e;
            }
            FakeUpstream upstream = new FakeUpstream(udp, tcp, records);
            upstream.threads.add(Thread.ofPlatform().daemon().name("fake-upstream-udp").start(upstream::serveUdp));
            upstream.threads.add(Thread.ofPlatform().daemon().name("fake-upstream-tcp").start(upstream::serveTcp));
            return upstream;
        }

        String address() {
            return udp.getLocalAddress().getHostAddress();
        }

        private void serveUdp() {
            byte[] buffer = new byte[512];
            while (!udp.isClosed()) {
                DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                try {
                    udp.receive(packet);
                    Message query = new Message(ByteBuffer.wrap(buffer, 0, packet.getLength()));
                    udpQueries.incrementAndGet();
                    Message truncated = response(query, 0);
                    truncated.getHeader().setFlag(Flags.TC);
                    byte[] wire = truncated.toWire();
                    udp.send(new DatagramPacket(wire, wire.length, packet.getSocketAddress()));
                } catch (IOException e) {
                    // closed, or a packet that is not a query
                }
            }
        }

        private void serveTcp() {
            while (!tcp.isClosed()) {
                try {
                    Socket s = tcp.accept();
                    synchronized (connections) {
                        connections.add(s);
                    }
                    threads.add(Thread.ofVirtual().start(() -> answerTcp(s)));
                } catch (IOException e) {
                    // closed
                }
            }
        }

        /** Answers the queries of one connection, several in turn, until the client or {@link #close()} ends it. */
        private void answerTcp(Socket socket) {
            try (Socket s = socket) {
                DataInputStream in = new DataInputStream(s.getInputStream());
                DataOutputStream out = new DataOutputStream(s.getOutputStream());
                while (true) {
                    byte[] query = new byte[in.readUnsignedShort()];
                    in.readFully(query);
                    tcpQueries.incrementAndGet();
                    byte[] wire = response(new Message(query), records).toWire();
                    out.writeShort(wire.length);
                    out.write(wire);
                    out.flush();
                }
            } catch (EOFException e) {
                // the client closed its connection
            } catch (IOException e) {
                // closed
            }
        }

        private static Message response(Message query, int records) {
            Message r = new Message(query.getHeader().getID());
            r.getHeader().setFlag(Flags.QR);
            r.getHeader().setFlag(Flags.RD);
            r.getHeader().setFlag(Flags.RA);
            r.addRecord(query.getQuestion(), Section.QUESTION);
            for (int i = 0; i < records; i++) {
                r.addRecord(new ARecord(query.getQuestion().getName(), DClass.IN, 60,
                        InetAddress.ofLiteral((i < 200 ? "192.0.2." : "198.51.100.") + (i % 200 + 1))), Section.ANSWER);
            }
            return r;
        }

        @Override
        public void close() throws InterruptedException {
            udp.close();
            try {
                tcp.close();
            } catch (IOException ignored) {
                // nothing is left to release
            }
            synchronized (connections) {
                for (Socket s : connections) {
                    try {
                        s.close();
                    } catch (IOException ignored) {
                        // nothing is left to release
                    }
                }
            }
            for (Thread t : List.copyOf(threads)) {
                t.join(5_000);
            }
        }
    }
}
