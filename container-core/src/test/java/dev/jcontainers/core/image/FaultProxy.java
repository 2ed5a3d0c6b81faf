package dev.jcontainers.core.image;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.function.Function;

/**
 * A plain-HTTP proxy on 127.0.0.1 in front of a real registry that can damage chosen responses: flip a
 * byte, cut the connection after some bytes, replace a body, or answer with a status of its choosing.
 * It lets the tests put a real registry behind the failures a real network produces.
 */
final class FaultProxy implements AutoCloseable {
    sealed interface Fault {
    }

    record PassThrough() implements Fault {
    }

    /** Flips one byte in the middle of the body, keeping its length. */
    record Corrupt() implements Fault {
    }

    /** Sends headers for the whole body, then only {@code bytes} of it, then closes the connection. */
    record DropAfter(long bytes) implements Fault {
    }

    record Replace(byte[] body, String contentType) implements Fault {
    }

    record Status(int code, Map<String, String> headers) implements Fault {
    }

    record Request(String method, String path, String range) {
    }

    private static final Set<String> HOP_BY_HOP = Set.of("connection", "content-length", "transfer-encoding",
            "keep-alive", "date");

    private final HttpServer server;
    private final HttpClient client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    private final String upstream;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private volatile Function<Request, Fault> faults = r -> new PassThrough();

    FaultProxy(String upstreamHostPort) throws IOException {
        this.upstream = "http://" + upstreamHostPort;
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", this::handle);
        server.start();
    }

    String host() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    void faults(Function<Request, Fault> f) {
        this.faults = f;
    }

    List<Request> requests() {
        return List.copyOf(requests);
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            Request req = new Request(ex.getRequestMethod(), ex.getRequestURI().getPath(),
                    ex.getRequestHeaders().getFirst("Range"));
            requests.add(req);
            Fault fault = faults.apply(req);
            if (fault instanceof Status s) {
                s.headers().forEach((k, v) -> ex.getResponseHeaders().add(k, v));
                ex.sendResponseHeaders(s.code(), -1);
                return;
            }
            HttpRequest.Builder up = HttpRequest.newBuilder(URI.create(upstream + ex.getRequestURI()))
                    .method(ex.getRequestMethod(), HttpRequest.BodyPublishers.noBody());
            for (String h : List.of("Accept", "Authorization", "Range")) {
                List<String> values = ex.getRequestHeaders().get(h);
                if (values != null) {
                    values.forEach(v -> up.header(h, v));
                }
            }
            HttpResponse<byte[]> resp;
            try {
                resp = client.send(up.build(), HttpResponse.BodyHandlers.ofByteArray());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(e);
            }
            byte[] body = resp.body();
            resp.headers().map().forEach((k, v) -> {
                if (!HOP_BY_HOP.contains(k.toLowerCase())) {
                    v.forEach(value -> ex.getResponseHeaders().add(k, value));
                }
            });
            boolean head = ex.getRequestMethod().equals("HEAD");
            if (head) {
                resp.headers().firstValue("Content-Length").ifPresent(l -> ex.getResponseHeaders().set("Content-Length", l));
            }
            switch (fault) {
                case Corrupt c when resp.body().length > 0 -> {
                    body = body.clone();
                    body[body.length / 2] ^= 0x5a;
                    send(ex, resp.statusCode(), body, head);
                }
                case Replace r -> {
                    ex.getResponseHeaders().set("Content-Type", r.contentType());
                    ex.getResponseHeaders().remove("Docker-Content-Digest");
                    send(ex, resp.statusCode(), r.body(), head);
                }
                case DropAfter d when !head -> {
                    ex.sendResponseHeaders(resp.statusCode(), body.length);
                    OutputStream out = ex.getResponseBody();
                    out.write(body, 0, (int) Math.min(d.bytes(), body.length));
                    out.flush();
                    // Closing with bytes missing makes the server drop the connection: a cut mid-transfer.
                    throw new IOException("fault: connection dropped");
                }
                default -> send(ex, resp.statusCode(), body, head);
            }
        }
    }

    private static void send(HttpExchange ex, int status, byte[] body, boolean head) throws IOException {
        if (head || status == 204 || status == 304) {
            ex.sendResponseHeaders(status, -1);
            return;
        }
        ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
    }

    static byte[] readAll(InputStream in) throws IOException {
        return in.readAllBytes();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
