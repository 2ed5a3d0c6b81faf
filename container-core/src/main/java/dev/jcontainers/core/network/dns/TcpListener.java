package dev.jcontainers.core.network.dns;

import java.io.IOException;
import java.nio.channels.ServerSocketChannel;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A container's DNS-over-TCP listening socket and the connections it accepted, closed together: a connection
 * admitted after its listener closed would outlive the container.
 */
final class TcpListener {
    /** Enough for a resolver's parallel A and AAAA lookups over a few connections; more are refused at accept. */
    static final int MAX_CONNECTIONS = 16;

    final String containerId;
    final ServerSocketChannel channel;
    private final Set<TcpConnection> open = new HashSet<>();
    private boolean closed;

    TcpListener(String containerId, ServerSocketChannel channel) {
        this.containerId = containerId;
        this.channel = channel;
    }

    /** Whether {@code connection} may be served: false once closed or at the cap (the caller closes it). */
    synchronized boolean admit(TcpConnection connection) {
        if (closed || open.size() >= MAX_CONNECTIONS) {
            return false;
        }
        open.add(connection);
        return true;
    }

    synchronized void forget(TcpConnection connection) {
        open.remove(connection);
    }

    synchronized List<TcpConnection> connections() {
        return new ArrayList<>(open);
    }

    synchronized void close() {
        closed = true;
        try {
            channel.close();
        } catch (IOException ignored) {
            // a socket that cannot close has nothing left to give back
        }
        new ArrayList<>(open).forEach(TcpConnection::close);
        open.clear();
    }
}
