package dev.jcontainers.core.network.dns;

import dev.jcontainers.api.ContainerException;
import dev.jcontainers.linux.net.NetworkNamespace;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.Channel;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The embedded DNS server of an engine, Docker's {@code 127.0.0.11} model: per container a UDP socket and a
 * TCP listening socket bound to {@code 127.0.0.11:53} inside the container's network namespace (created by a
 * thread that entered the namespace; the sockets stay there and work from any thread), all served by one
 * selector thread. Resolvers ask over TCP when a UDP answer comes truncated (and some always do); a TCP
 * connection carries several queries, is closed when idle for {@link #IDLE_TIMEOUT_MILLIS}, and a container
 * has at most {@value TcpListener#MAX_CONNECTIONS} at a time.
 *
 * <p>Sockets are bound with {@code SO_REUSEPORT}, so several engines on one root (several JVMs) can each
 * serve the same container; the kernel spreads the queries and every engine answers from the records on
 * disk. When no engine runs, nothing answers and resolvers fall back to the container's {@code /etc/hosts}.
 */
public final class DnsServer implements AutoCloseable {
    public static final String ADDRESS = "127.0.0.11";
    private static final int PORT = 53;
    private static final int MAX_UDP = 65_535;
    /** RFC 7766 6.2.3: seconds, not minutes; longer than an upstream's answer takes, so none is cut off. */
    static final long IDLE_TIMEOUT_MILLIS = 10_000;

    /**
     * Made with the first socket: the answerer's upstream resolver (dnsjava's classes) is about 10 ms of a cold
     * engine open, and most containers serve no names.
     */
    private final Supplier<DnsAnswerer> answererFactory;
    private volatile DnsAnswerer answerer;
    private final Map<String, Served> channels = new ConcurrentHashMap<>();
    private Selector selector;
    private boolean closed;

    /** A container's sockets, and the namespace they are bound in ({@code net:[inode]}): a restart makes new ones. */
    private record Served(DatagramChannel udp, TcpListener tcp, String namespace) {
        void close() {
            closeQuietly(udp);
            tcp.close();
        }
    }

    /** The two sockets of {@value #ADDRESS}:53 in one namespace, made by {@link #openSockets()}. */
    public record Sockets(DatagramChannel udp, ServerSocketChannel tcp) implements AutoCloseable {
        @Override
        public void close() {
            closeQuietly(udp);
            closeQuietly(tcp);
        }
    }

    public DnsServer(Supplier<DnsAnswerer> answererFactory) {
        this.answererFactory = answererFactory;
    }

    /**
     * Starts answering queries from the container whose network namespace is {@code netns}; idempotent for
     * the same namespace, and a socket left in an earlier namespace of the container is replaced.
     */
    public void serve(String containerId, Path netns) {
        String namespace = namespaceOf(containerId, netns);
        if (servedIn(containerId, namespace)) {
            return;
        }
        Sockets sockets;
        try (NetworkNamespace ns = NetworkNamespace.open(netns)) {
            sockets = ns.call(DnsServer::openSockets);
        } catch (Exception e) {
            throw new ContainerException("cannot start the embedded DNS server of container "
                    + containerId.substring(0, 12) + ": " + e.getMessage(), e);
        }
        register(containerId, namespace, sockets);
    }

    /**
     * As {@link #serve(String, Path)}, with {@code sockets}, made by {@link #openSockets()} inside that namespace
     * by a caller that was there anyway; this server owns them from now on (closes them if already serving there).
     */
    public void serve(String containerId, Path netns, Sockets sockets) {
        String namespace;
        try {
            namespace = namespaceOf(containerId, netns);
        } catch (RuntimeException e) {
            sockets.close();
            throw e;
        }
        if (servedIn(containerId, namespace)) {
            sockets.close();
            return;
        }
        register(containerId, namespace, sockets);
    }

    private static String namespaceOf(String containerId, Path netns) {
        try {
            return Files.readSymbolicLink(netns).toString();
        } catch (IOException e) {
            throw new ContainerException("cannot start the embedded DNS server of container "
                    + containerId.substring(0, 12) + ": " + e.getMessage(), e);
        }
    }

    private boolean servedIn(String containerId, String namespace) {
        Served current = channels.get(containerId);
        return current != null && current.namespace().equals(namespace);
    }

    private void register(String containerId, String namespace, Sockets sockets) {
        TcpListener listener = new TcpListener(containerId, sockets.tcp());
        try {
            sockets.udp().configureBlocking(false);
            sockets.tcp().configureBlocking(false);
            synchronized (this) {
                if (closed) {
                    throw new ContainerException("the engine is closed");
                }
                if (answerer == null) {
                    answerer = answererFactory.get();
                }
                sockets.udp().register(selector(), SelectionKey.OP_READ, containerId);
                sockets.tcp().register(selector, SelectionKey.OP_ACCEPT, listener);
                selector.wakeup();
            }
            Served previous = channels.put(containerId, new Served(sockets.udp(), listener, namespace));
            if (previous != null) {
                previous.close();
                releaseClosed();
            }
        } catch (IOException | RuntimeException e) {
            sockets.close();
            if (e instanceof RuntimeException r) {
                throw r;
            }
            throw new ContainerException("cannot serve DNS for " + containerId.substring(0, 12) + ": " + e.getMessage(), e);
        }
    }

    /** Stops serving the container (its namespace may be gone already). */
    public void stop(String containerId) {
        Served served = channels.remove(containerId);
        if (served != null) {
            served.close();
            releaseClosed();
        }
    }

    /**
     * A registered channel's descriptor is released only when the selector drops its key: now, not at the next
     * query of some other container.
     */
    private void releaseClosed() {
        Selector current;
        synchronized (this) {
            current = selector;
        }
        if (current != null) {
            current.wakeup();
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        channels.keySet().forEach(this::stop);
        if (selector != null) {
            try {
                selector.close();
            } catch (IOException ignored) {
                // nothing is left to release
            }
        }
    }

    /**
     * The UDP and the TCP listening socket bound to {@value #ADDRESS}:53 in the calling thread's network
     * namespace, for {@link #serve(String, Path, Sockets)}. Queries and connections that arrive before they are
     * served wait in their buffer and backlog.
     */
    public static Sockets openSockets() throws IOException {
        InetSocketAddress address = new InetSocketAddress(InetAddress.ofLiteral(ADDRESS), PORT);
        DatagramChannel udp = DatagramChannel.open(StandardProtocolFamily.INET);
        ServerSocketChannel tcp = null;
        try {
            udp.setOption(StandardSocketOptions.SO_REUSEPORT, true);
            udp.bind(address);
            tcp = ServerSocketChannel.open(StandardProtocolFamily.INET);
            tcp.setOption(StandardSocketOptions.SO_REUSEPORT, true);
            tcp.bind(address, TcpListener.MAX_CONNECTIONS);
            return new Sockets(udp, tcp);
        } catch (IOException | RuntimeException e) {
            closeQuietly(udp);
            if (tcp != null) {
                closeQuietly(tcp);
            }
            throw e;
        }
    }

    private Selector selector() throws IOException {
        if (selector == null) {
            selector = Selector.open();
            // A platform thread: it blocks in epoll for its whole life.
            Thread.ofPlatform().daemon().name("jc-dns").start(this::loop);
        }
        return selector;
    }

    private void loop() {
        ByteBuffer buffer = ByteBuffer.allocateDirect(MAX_UDP);
        try {
            while (selector.isOpen()) {
                // woken for the idle sweep only while some connection is open
                selector.select(hasConnections() ? IDLE_TIMEOUT_MILLIS / 4 : 0);
                for (SelectionKey key : selector.selectedKeys()) {
                    try {
                        handle(key, buffer);
                    } catch (CancelledKeyException e) {
                        // its container was stopped meanwhile, by another thread
                    }
                }
                selector.selectedKeys().clear();
                closeIdleConnections();
            }
        } catch (ClosedSelectorException | IOException e) {
            // closed with the engine
        }
    }

    private void receive(DatagramChannel channel, String containerId, ByteBuffer buffer) {
        while (true) {
            SocketAddress client;
            buffer.clear();
            try {
                client = channel.receive(buffer);
            } catch (IOException e) {
                return; // closed under us: the container went
            }
            if (client == null) {
                return;
            }
            buffer.flip();
            byte[] query = new byte[buffer.remaining()];
            buffer.get(query);
            answerer.answer(containerId, query, DnsAnswerer.Transport.UDP).thenAccept(response -> response.ifPresent(bytes -> {
                try {
                    channel.send(ByteBuffer.wrap(bytes), client);
                } catch (IOException e) {
                    // the container went while it waited for the answer
                }
            }));
        }
    }

    private void handle(SelectionKey key, ByteBuffer buffer) {
        if (!key.isValid()) {
            return;
        }
        switch (key.attachment()) {
            case TcpListener listener when key.isAcceptable() -> accept(listener);
            case TcpConnection connection -> {
                if (key.isWritable()) {
                    connection.flush();
                }
                if (key.isValid() && key.isReadable()) {
                    receive(connection);
                }
            }
            case String containerId when key.isReadable() -> receive((DatagramChannel) key.channel(), containerId, buffer);
            default -> {
            }
        }
    }

    private void accept(TcpListener listener) {
        while (true) {
            SocketChannel accepted;
            try {
                accepted = listener.channel.accept();
            } catch (IOException e) {
                return; // closed under us: the container went
            }
            if (accepted == null) {
                return;
            }
            TcpConnection connection = new TcpConnection(accepted, listener);
            if (!listener.admit(connection)) {
                closeQuietly(accepted);
                continue;
            }
            try {
                accepted.configureBlocking(false);
                connection.registered(accepted.register(selector, SelectionKey.OP_READ, connection));
            } catch (IOException | RuntimeException e) {
                connection.close();
            }
        }
    }

    /** Answers the queries that arrived complete; a connection that sent garbage is closed (RFC 7766 7). */
    private void receive(TcpConnection connection) {
        List<byte[]> queries = connection.read();
        if (queries == null) {
            connection.close();
            return;
        }
        for (byte[] query : queries) {
            answerer.answer(connection.containerId(), query, DnsAnswerer.Transport.TCP)
                    .thenAccept(response -> response.ifPresentOrElse(connection::send, connection::close));
        }
    }

    private boolean hasConnections() {
        return channels.values().stream().anyMatch(s -> !s.tcp().connections().isEmpty());
    }

    private void closeIdleConnections() {
        long now = System.nanoTime();
        for (Served served : channels.values()) {
            for (TcpConnection c : served.tcp().connections()) {
                if (now - c.lastActive() > TimeUnit.MILLISECONDS.toNanos(IDLE_TIMEOUT_MILLIS)) {
                    c.close();
                }
            }
        }
    }

    private static void closeQuietly(Channel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // a socket that cannot close has nothing left to give back
        }
    }
}
