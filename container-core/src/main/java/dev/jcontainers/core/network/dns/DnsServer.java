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
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The embedded DNS server of an engine, Docker's {@code 127.0.0.11} model: per container a UDP socket bound
 * to {@code 127.0.0.11:53} inside the container's network namespace (created by a thread that entered the
 * namespace; the socket stays there and works from any thread), all served by one selector thread.
 *
 * <p>Sockets are bound with {@code SO_REUSEPORT}, so several engines on one root (several JVMs) can each
 * serve the same container; the kernel spreads the queries and every engine answers from the records on
 * disk. When no engine runs, nothing answers and resolvers fall back to the container's {@code /etc/hosts}.
 */
public final class DnsServer implements AutoCloseable {
    public static final String ADDRESS = "127.0.0.11";
    private static final int PORT = 53;
    private static final int MAX_UDP = 65_535;

    /**
     * Made with the first socket: the answerer's upstream resolver (dnsjava's classes) is about 10 ms of a cold
     * engine open, and most containers serve no names.
     */
    private final Supplier<DnsAnswerer> answererFactory;
    private volatile DnsAnswerer answerer;
    private final Map<String, Served> channels = new ConcurrentHashMap<>();
    private Selector selector;
    private boolean closed;

    /** A container's socket, and the namespace it is bound in ({@code net:[inode]}): a restart makes a new one. */
    private record Served(DatagramChannel channel, String namespace) {
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
        DatagramChannel channel;
        try (NetworkNamespace ns = NetworkNamespace.open(netns)) {
            channel = ns.call(DnsServer::openSocket);
        } catch (Exception e) {
            throw new ContainerException("cannot start the embedded DNS server of container "
                    + containerId.substring(0, 12) + ": " + e.getMessage(), e);
        }
        register(containerId, namespace, channel);
    }

    /**
     * As {@link #serve(String, Path)}, with {@code socket}, made by {@link #openSocket()} inside that namespace
     * by a caller that was there anyway; this server owns it from now on (closes it if already serving there).
     */
    public void serve(String containerId, Path netns, DatagramChannel socket) {
        String namespace;
        try {
            namespace = namespaceOf(containerId, netns);
        } catch (RuntimeException e) {
            closeQuietly(socket);
            throw e;
        }
        if (servedIn(containerId, namespace)) {
            closeQuietly(socket);
            return;
        }
        register(containerId, namespace, socket);
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

    private void register(String containerId, String namespace, DatagramChannel channel) {
        try {
            channel.configureBlocking(false);
            synchronized (this) {
                if (closed) {
                    throw new ContainerException("the engine is closed");
                }
                if (answerer == null) {
                    answerer = answererFactory.get();
                }
                channel.register(selector(), SelectionKey.OP_READ, containerId);
                selector.wakeup();
            }
            Served previous = channels.put(containerId, new Served(channel, namespace));
            if (previous != null) {
                previous.channel().close();
            }
        } catch (IOException | RuntimeException e) {
            closeQuietly(channel);
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
            closeQuietly(served.channel());
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
     * A UDP socket bound to {@value #ADDRESS}:53 in the calling thread's network namespace, for
     * {@link #serve(String, Path, DatagramChannel)}. Queries that arrive before it is served wait in its buffer.
     */
    public static DatagramChannel openSocket() throws IOException {
        DatagramChannel channel = DatagramChannel.open(StandardProtocolFamily.INET);
        try {
            channel.setOption(StandardSocketOptions.SO_REUSEPORT, true);
            channel.bind(new InetSocketAddress(InetAddress.getByName(ADDRESS), PORT));
            return channel;
        } catch (IOException | RuntimeException e) {
            channel.close();
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
                selector.select();
                for (SelectionKey key : selector.selectedKeys()) {
                    if (key.isValid() && key.isReadable()) {
                        receive((DatagramChannel) key.channel(), (String) key.attachment(), buffer);
                    }
                }
                selector.selectedKeys().clear();
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
            answerer.answer(containerId, query).thenAccept(response -> response.ifPresent(bytes -> {
                try {
                    channel.send(ByteBuffer.wrap(bytes), client);
                } catch (IOException e) {
                    // the container went while it waited for the answer
                }
            }));
        }
    }

    private static void closeQuietly(DatagramChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // a socket that cannot close has nothing left to give back
        }
    }
}
