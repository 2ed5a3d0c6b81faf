package dev.jcontainers.testkit;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import javax.net.ssl.SSLContext;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;

/**
 * The registry's token service (the Docker token authentication spec), served over HTTPS on
 * 127.0.0.1 from inside the test JVM. An authenticated user is granted the pull, push and delete
 * actions requested in {@code scope}; an anonymous request gets a token with no access; a wrong
 * password gets 401. Every request is recorded so tests can assert on the scopes asked for.
 */
public final class TokenServer implements AutoCloseable {

    /** One token request and what was granted for it. */
    public record TokenRequest(String username, String service, List<String> requestedScopes,
            List<String> grantedScopes) {
        /** True when the request carried no credentials. */
        public boolean anonymous() {
            return username == null;
        }
    }

    static final String ISSUER = "jcontainers-testkit-token-issuer";
    static final String SERVICE = "jcontainers-testkit-registry";
    private static final Set<String> GRANTABLE_ACTIONS = Set.of("pull", "push", "delete", "*");
    private static final long LIFETIME_SECONDS = 300;

    private final HttpsServer server;
    private final Credentials credentials;
    private final JwtSigner signer;
    private final ObjectMapper json = new ObjectMapper();
    private final List<TokenRequest> requests = new CopyOnWriteArrayList<>();

    TokenServer(Credentials credentials, TestPki.KeyAndCertificate tokenSigner, SSLContext tls) {
        this.credentials = credentials;
        this.signer = new JwtSigner(json, tokenSigner);
        try {
            server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start token server", e);
        }
        server.setHttpsConfigurator(new HttpsConfigurator(tls));
        server.createContext("/token", this::handle);
        server.start();
    }

    /** The realm URL the registry sends clients to. */
    public URI realm() {
        return URI.create("https://127.0.0.1:" + server.getAddress().getPort() + "/token");
    }

    public String service() {
        return SERVICE;
    }

    public String issuer() {
        return ISSUER;
    }

    /** Every request served so far, oldest first. */
    public List<TokenRequest> requests() {
        return List.copyOf(requests);
    }

    /** The scopes granted so far, as {@code type:name:actions} strings, oldest first. */
    public List<String> issuedScopes() {
        return requests.stream().flatMap(r -> r.grantedScopes().stream()).toList();
    }

    /** Forgets the recorded requests (e.g. between the phases of one test). */
    public void clearRequests() {
        requests.clear();
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!"GET".equals(exchange.getRequestMethod())) {
                // Clients that try the OAuth2 POST flow first fall back to GET on 404 (as with Docker Hub's old realm).
                send(exchange, 404, json.createObjectNode().put("error", "only GET is supported"));
                return;
            }
            Caller caller = authenticate(exchange.getRequestHeaders().getFirst("Authorization"));
            if (caller.rejected()) {
                exchange.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"" + SERVICE + "\"");
                send(exchange, 401, json.createObjectNode().put("error", "invalid credentials"));
                return;
            }
            List<String> requested = new ArrayList<>();
            String service = null;
            String query = exchange.getRequestURI().getRawQuery();
            for (String pair : query == null ? new String[0] : query.split("&")) {
                int eq = pair.indexOf('=');
                String key = decode(eq < 0 ? pair : pair.substring(0, eq));
                String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
                if (key.equals("scope")) {
                    // A scope parameter may itself hold several space-separated scopes.
                    for (String scope : value.split(" ")) {
                        if (!scope.isBlank()) {
                            requested.add(scope);
                        }
                    }
                } else if (key.equals("service")) {
                    service = value;
                }
            }
            String user = caller.username();
            ObjectNode claims = json.createObjectNode();
            long now = Instant.now().getEpochSecond();
            claims.put("iss", ISSUER).put("sub", user == null ? "" : user).put("aud", SERVICE)
                    .put("exp", now + LIFETIME_SECONDS).put("nbf", now - 5).put("iat", now)
                    .put("jti", UUID.randomUUID().toString());
            ArrayNode access = claims.putArray("access");
            List<String> granted = new ArrayList<>();
            if (user != null) {
                for (String scope : requested) {
                    grant(scope, access, granted);
                }
            }
            requests.add(new TokenRequest(user, service, List.copyOf(requested), List.copyOf(granted)));
            String token = signer.sign(claims);
            send(exchange, 200, json.createObjectNode().put("token", token).put("access_token", token)
                    .put("expires_in", LIFETIME_SECONDS).put("issued_at", Instant.ofEpochSecond(now).toString()));
        } catch (RuntimeException e) {
            // An exception would otherwise vanish into the HTTP server's thread; make it visible.
            System.err.println("[token-server] request failed: " + e);
            throw e;
        }
    }

    /** Who asked: a user, anonymous (null user name) or rejected credentials. */
    private record Caller(String username, boolean rejected) {
        static final Caller ANONYMOUS = new Caller(null, false);
        static final Caller REJECTED = new Caller(null, true);
    }

    private Caller authenticate(String authorization) {
        if (authorization == null) {
            return Caller.ANONYMOUS;
        }
        if (!authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            return Caller.REJECTED;
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(authorization.substring(6).trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return Caller.REJECTED;
        }
        int colon = decoded.indexOf(':');
        if (colon < 0) {
            return Caller.REJECTED;
        }
        String user = decoded.substring(0, colon);
        boolean valid = user.equals(credentials.username())
                && MessageDigest.isEqual(decoded.substring(colon + 1).getBytes(StandardCharsets.UTF_8),
                        credentials.password().getBytes(StandardCharsets.UTF_8));
        return valid ? new Caller(user, false) : Caller.REJECTED;
    }

    /** Parses {@code type:name:actions} (the name may hold ':' for a port) and grants the known actions. */
    private static void grant(String scope, ArrayNode access, List<String> granted) {
        int first = scope.indexOf(':');
        int last = scope.lastIndexOf(':');
        if (first < 0 || last == first) {
            return;
        }
        String type = scope.substring(0, first);
        String name = scope.substring(first + 1, last);
        List<String> actions = new ArrayList<>();
        for (String action : scope.substring(last + 1).split(",")) {
            if (GRANTABLE_ACTIONS.contains(action) && !actions.contains(action)) {
                actions.add(action);
            }
        }
        if (actions.isEmpty()) {
            return;
        }
        ObjectNode entry = access.addObject().put("type", type).put("name", name);
        actions.forEach(entry.putArray("actions")::add);
        granted.add(type + ":" + name + ":" + String.join(",", actions));
    }

    private void send(HttpExchange exchange, int status, ObjectNode body) throws IOException {
        byte[] bytes = json.writeValueAsBytes(body);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }
}
