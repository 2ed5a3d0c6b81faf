package dev.jcontainers.core.network.dns;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * One DNS-over-TCP connection (RFC 1035 4.2.2, RFC 7766): queries framed by a two-byte length, several per
 * connection, answered as they complete (in any order, each carries its ID). Read by the selector thread;
 * answers are written by whichever thread completes them, and the rest by the selector thread once writable.
 */
final class TcpConnection {
    /** A query is one question and perhaps EDNS options: a frame announcing more is not a query. */
    static final int MAX_QUERY = 4096;

    private final SocketChannel channel;
    private final TcpListener listener;
    private final ByteBuffer prefix = ByteBuffer.allocate(2);
    private ByteBuffer frame;
    private final ArrayDeque<ByteBuffer> unsent = new ArrayDeque<>();
    private SelectionKey key;
    private volatile long lastActive = System.nanoTime();

    TcpConnection(SocketChannel channel, TcpListener listener) {
        this.channel = channel;
        this.listener = listener;
    }

    SocketChannel channel() {
        return channel;
    }

    String containerId() {
        return listener.containerId;
    }

    synchronized void registered(SelectionKey key) {
        this.key = key;
    }

    long lastActive() {
        return lastActive;
    }

    /**
     * The complete queries that have arrived, or null when the connection is to close: the client closed it,
     * or sent a frame that cannot be a query (empty or over {@value #MAX_QUERY} bytes).
     */
    List<byte[]> read() {
        List<byte[]> queries = new ArrayList<>();
        try {
            while (true) {
                ByteBuffer target = frame != null ? frame : prefix;
                int n = channel.read(target);
                if (n < 0) {
                    return null;
                }
                if (n == 0) {
                    break;
                }
                lastActive = System.nanoTime();
                if (frame == null && !prefix.hasRemaining()) {
                    int length = prefix.getShort(0) & 0xffff;
                    if (length == 0 || length > MAX_QUERY) {
                        return null;
                    }
                    frame = ByteBuffer.allocate(length);
                } else if (frame != null && !frame.hasRemaining()) {
                    queries.add(frame.array());
                    frame = null;
                    prefix.clear();
                }
            }
        } catch (IOException e) {
            return null;
        }
        return queries;
    }

    /** Queues {@code response} with its length and writes what the socket takes now; from any thread. */
    synchronized void send(byte[] response) {
        ByteBuffer framed = ByteBuffer.allocate(2 + response.length).putShort((short) response.length).put(response).flip();
        unsent.add(framed);
        lastActive = System.nanoTime();
        flush();
    }

    /** Writes what is queued until the socket is full, then waits for it to be writable again. */
    synchronized void flush() {
        try {
            while (!unsent.isEmpty()) {
                ByteBuffer head = unsent.peek();
                channel.write(head);
                if (head.hasRemaining()) {
                    key.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
                    key.selector().wakeup();
                    return;
                }
                unsent.poll();
            }
            if (key.isValid()) {
                key.interestOps(SelectionKey.OP_READ);
            }
        } catch (IOException | CancelledKeyException e) {
            // the client went, or the container with it: nothing is owed to anyone
            close();
        }
    }

    void close() {
        listener.forget(this);
        try {
            channel.close();
        } catch (IOException ignored) {
            // a socket that cannot close has nothing left to give back
        }
    }
}
