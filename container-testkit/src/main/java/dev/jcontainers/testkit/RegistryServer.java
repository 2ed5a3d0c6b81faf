package dev.jcontainers.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.net.ssl.SSLContext;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.bouncycastle.crypto.generators.OpenBSDBCrypt;

/**
 * A real CNCF Distribution registry ({@code docker-registry}) running as a child process on
 * 127.0.0.1 with its storage in a temporary directory. {@link #close()} stops it and deletes
 * everything; a JVM shutdown hook does the same for servers a crashed test left open.
 *
 * <pre>{@code
 * try (RegistryServer registry = RegistryServer.basic("alice", "secret")) {
 *     Skopeo.push(image, registry, "library/busybox:1");
 * }
 * }</pre>
 */
public final class RegistryServer implements AutoCloseable {

    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(20);
    private static final int START_ATTEMPTS = 3;
    private static final Set<RegistryServer> RUNNING = ConcurrentHashMap.newKeySet();
    private static final SecureRandom RANDOM = new SecureRandom();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(
                () -> List.copyOf(RUNNING).forEach(RegistryServer::close), "registry-server-cleanup"));
    }

    private final RegistryMode mode;
    private final Credentials credentials;
    private final boolean tls;
    private final Path workDir;
    private final ObjectMapper json = new ObjectMapper();
    private final TestPki.KeyAndCertificate ca;
    private final SSLContext clientTls;
    private final HttpClient http;
    private TokenServer tokenServer;
    private Process process;
    private int port;

    /** Anonymous registry over plain HTTP. */
    public static RegistryServer plain() {
        return builder().start();
    }

    /** Registry over plain HTTP that requires HTTP Basic authentication as the given user. */
    public static RegistryServer basic(String username, String password) {
        return builder().mode(RegistryMode.BASIC).credentials(username, password).start();
    }

    /** HTTPS registry that requires bearer tokens from an in-JVM token server which knows the given user. */
    public static RegistryServer token(String username, String password) {
        return builder().mode(RegistryMode.TOKEN).credentials(username, password).start();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Chooses mode, credentials and TLS. TLS is implied by {@link RegistryMode#TOKEN}. */
    public static final class Builder {
        private RegistryMode mode = RegistryMode.PLAIN;
        private Credentials credentials = new Credentials("alice", "secret");
        private boolean tls;

        private Builder() {
        }

        public Builder mode(RegistryMode mode) {
            this.mode = mode;
            return this;
        }

        /** The one user the registry accepts in BASIC and TOKEN mode (default alice/secret). */
        public Builder credentials(String username, String password) {
            this.credentials = new Credentials(username, password);
            return this;
        }

        /** Serve HTTPS with a certificate for 127.0.0.1 signed by a fresh test CA. */
        public Builder tls(boolean tls) {
            this.tls = tls;
            return this;
        }

        public RegistryServer start() {
            return new RegistryServer(mode, credentials, tls || mode == RegistryMode.TOKEN);
        }
    }

    private RegistryServer(RegistryMode mode, Credentials credentials, boolean tls) {
        Path binary = Requirements.requireTool("docker-registry");
        this.mode = mode;
        this.credentials = mode == RegistryMode.PLAIN ? null : credentials;
        this.tls = tls;
        this.ca = tls ? TestPki.newCertificateAuthority("jcontainers test CA") : null;
        this.clientTls = tls ? TestPki.trusting(ca.certificate()) : null;
        HttpClient.Builder client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5));
        this.http = (tls ? client.sslContext(clientTls) : client).build();
        try {
            this.workDir = Files.createTempDirectory("jcontainers-registry-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        RUNNING.add(this);
        try {
            ObjectNode config = prepareConfig();
            startProcess(binary, config);
        } catch (RuntimeException | Error e) {
            close();
            throw e;
        }
    }

    public RegistryMode mode() {
        return mode;
    }

    /** {@code 127.0.0.1:PORT}, the registry part of an image reference. */
    public String host() {
        return "127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    /** {@code http://127.0.0.1:PORT} or {@code https://...}. */
    public URI url() {
        return URI.create((tls ? "https://" : "http://") + host());
    }

    public boolean isTls() {
        return tls;
    }

    /** The accepted user in BASIC and TOKEN mode; empty for an anonymous registry. */
    public Optional<Credentials> credentials() {
        return Optional.ofNullable(credentials);
    }

    /** A client TLS context that trusts this registry's CA (and nothing else). */
    public SSLContext sslContext() {
        requireTls();
        return clientTls;
    }

    public X509Certificate caCertificate() {
        requireTls();
        return ca.certificate();
    }

    public String caCertificatePem() {
        return TestPki.pem(caCertificate());
    }

    /** A directory holding {@code ca.crt}, for skopeo's {@code --cert-dir} (or Docker's certs.d). */
    public Path caCertDir() {
        requireTls();
        return workDir.resolve("certs.d");
    }

    /** The registry's filesystem storage root, for tests that tamper with stored blobs. */
    public Path storageDirectory() {
        return workDir.resolve("storage");
    }

    /** The in-JVM token service of a TOKEN-mode registry. */
    public TokenServer tokenServer() {
        if (tokenServer == null) {
            throw new IllegalStateException("registry is in " + mode + " mode, not TOKEN");
        }
        return tokenServer;
    }

    /** What the registry process has logged (level error) so far. */
    public String log() {
        try {
            Path log = workDir.resolve("registry.log");
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            return "<log unreadable: " + e.getMessage() + ">";
        }
    }

    /**
     * The tags of {@code repository} as the registry lists them ({@code /v2/<repo>/tags/list}),
     * authenticating as {@link #credentials()} in whatever way the mode needs. Empty for an
     * unknown repository. In TOKEN mode this asks the token server for a pull scope.
     */
    public List<String> tags(String repository) {
        HttpResponse<String> response = get("/v2/" + repository + "/tags/list", "repository:" + repository + ":pull");
        if (response.statusCode() == 404) {
            return List.of();
        }
        if (response.statusCode() != 200) {
            throw new IllegalStateException("tags/list of " + repository + " answered " + response.statusCode()
                    + ": " + response.body());
        }
        try {
            JsonNode tags = json.readTree(response.body()).path("tags");
            List<String> result = new ArrayList<>();
            tags.forEach(t -> result.add(t.asText()));
            return result;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public synchronized void close() {
        if (!RUNNING.remove(this)) {
            return;
        }
        if (process != null) {
            stopProcess(process);
        }
        if (tokenServer != null) {
            tokenServer.close();
        }
        http.close();
        deleteRecursively(workDir);
    }

    @Override
    public String toString() {
        return "RegistryServer[" + mode + (tls ? ", https" : ", http") + ", " + host() + "]";
    }

    // ---- startup ----

    private ObjectNode prepareConfig() {
        ObjectNode config = json.createObjectNode().put("version", "0.1");
        config.putObject("log").put("level", "error").put("formatter", "text")
                .putObject("accesslog").put("disabled", true);
        ObjectNode storage = config.putObject("storage");
        storage.putObject("filesystem").put("rootdirectory", storageDirectory().toString());
        storage.putObject("delete").put("enabled", true);
        storage.putObject("maintenance").putObject("uploadpurging").put("enabled", false);
        ObjectNode httpConfig = config.putObject("http")
                .put("secret", HexFormat.of().formatHex(randomBytes(16)));
        httpConfig.putObject("headers").putArray("X-Content-Type-Options").add("nosniff");
        if (tls) {
            TestPki.KeyAndCertificate server = TestPki.newServerCertificate(ca);
            Path serverCert = write("tls/server.crt", TestPki.pem(server.certificate()) + TestPki.pem(ca.certificate()));
            Path serverKey = write("tls/server.key", TestPki.pem(server.privateKey()));
            write("certs.d/ca.crt", TestPki.pem(ca.certificate()));
            httpConfig.putObject("tls").put("certificate", serverCert.toString()).put("key", serverKey.toString());
            if (mode == RegistryMode.TOKEN) {
                TestPki.KeyAndCertificate signer = TestPki.newSigningCertificate("jcontainers test token signer");
                Path bundle = write("token/rootcerts.pem", TestPki.pem(signer.certificate()));
                tokenServer = new TokenServer(credentials, signer, TestPki.serving(server, ca.certificate()));
                config.putObject("auth").putObject("token")
                        .put("realm", tokenServer.realm().toString())
                        .put("service", tokenServer.service())
                        .put("issuer", tokenServer.issuer())
                        .put("rootcertbundle", bundle.toString());
            }
        }
        if (mode == RegistryMode.BASIC) {
            Path htpasswd = write("auth/htpasswd", credentials.username() + ":"
                    // Cost 4, the minimum: the registry checks the hash on every request.
                    + OpenBSDBCrypt.generate("2y", credentials.password().toCharArray(), randomBytes(16), 4) + "\n");
            config.putObject("auth").putObject("htpasswd").put("realm", "jcontainers-testkit")
                    .put("path", htpasswd.toString());
        }
        return config;
    }

    /** Picks a free port and starts the registry; retries when another process grabs the port first. */
    private void startProcess(Path binary, ObjectNode config) {
        String lastLog = "";
        for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
            port = freePort();
            ((ObjectNode) config.get("http")).put("addr", "127.0.0.1:" + port);
            // JSON is valid YAML, and the registry reads its configuration with a YAML parser.
            Path configFile = writeJson("config.yml", config);
            Path log = workDir.resolve("registry.log");
            ProcessBuilder builder = new ProcessBuilder(binary.toString(), "serve", configFile.toString())
                    .redirectErrorStream(true).redirectOutput(log.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            // REGISTRY_* variables would override the configuration file.
            builder.environment().keySet().removeIf(k -> k.startsWith("REGISTRY_"));
            try {
                process = builder.start();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start " + binary, e);
            }
            if (awaitReady()) {
                return;
            }
            stopProcess(process);
            lastLog = log();
            if (!lastLog.contains("address already in use")) {
                break;
            }
        }
        throw new IllegalStateException("docker-registry did not come up on " + host() + ":\n" + lastLog);
    }

    private boolean awaitReady() {
        long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
        HttpRequest probe = HttpRequest.newBuilder(url().resolve("/v2/")).timeout(Duration.ofSeconds(2)).build();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                return false;
            }
            try {
                http.send(probe, HttpResponse.BodyHandlers.discarding());
                return true; // any answer (200 or 401) means it is serving
            } catch (IOException e) {
                sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the registry", e);
            }
        }
        return false;
    }

    // ---- authenticated GET for the independent checks ----

    private static final Pattern CHALLENGE_PARAM = Pattern.compile("(\\w+)=\"([^\"]*)\"");

    private HttpResponse<String> get(String path, String scope) {
        HttpResponse<String> response = send(path, null);
        if (response.statusCode() != 401 || credentials == null) {
            return response;
        }
        String challenge = response.headers().firstValue("WWW-Authenticate").orElse("");
        if (challenge.regionMatches(true, 0, "Basic", 0, 5)) {
            return send(path, credentials.basicAuthorization());
        }
        Map<String, String> params = new HashMap<>();
        Matcher m = CHALLENGE_PARAM.matcher(challenge);
        while (m.find()) {
            params.put(m.group(1), m.group(2));
        }
        URI tokenUri = URI.create(params.get("realm") + "?service="
                + URLEncoder.encode(params.getOrDefault("service", ""), StandardCharsets.UTF_8)
                + "&scope=" + URLEncoder.encode(params.getOrDefault("scope", scope), StandardCharsets.UTF_8));
        HttpResponse<String> tokenResponse = exchange(HttpRequest.newBuilder(tokenUri)
                .header("Authorization", credentials.basicAuthorization()).build());
        if (tokenResponse.statusCode() != 200) {
            throw new IllegalStateException("token request failed with " + tokenResponse.statusCode());
        }
        try {
            String token = json.readTree(tokenResponse.body()).path("token").asText();
            return send(path, "Bearer " + token);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private HttpResponse<String> send(String path, String authorization) {
        HttpRequest.Builder request = HttpRequest.newBuilder(url().resolve(path)).timeout(Duration.ofSeconds(10));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return exchange(request.build());
    }

    private HttpResponse<String> exchange(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    // ---- helpers ----

    private void requireTls() {
        if (!tls) {
            throw new IllegalStateException("registry serves plain HTTP; there is no CA");
        }
    }

    private Path write(String relative, String content) {
        try {
            Path file = workDir.resolve(relative);
            Files.createDirectories(file.getParent());
            return Files.writeString(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Path writeJson(String relative, ObjectNode content) {
        try {
            return write(relative, json.writerWithDefaultPrettyPrinter().writeValueAsString(content));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void stopProcess(Process process) {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on 127.0.0.1", e);
        }
    }

    private static byte[] randomBytes(int n) {
        byte[] bytes = new byte[n];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static void deleteRecursively(Path root) {
        if (root == null || !Files.exists(root)) {
            return;
        }
        try (var paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + root, e);
        }
    }
}
