package dev.jcontainers.oci.registry;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jcontainers.api.ContainerException;
import dev.jcontainers.api.Credentials;
import dev.jcontainers.api.DigestMismatchException;
import dev.jcontainers.api.ImageNotFoundException;
import dev.jcontainers.api.MalformedContentException;
import dev.jcontainers.api.Platform;
import dev.jcontainers.api.RegistryException;
import dev.jcontainers.oci.image.Descriptor;
import dev.jcontainers.oci.image.DescriptorPlatform;
import dev.jcontainers.oci.image.Digest;
import dev.jcontainers.oci.image.ImageIndex;
import dev.jcontainers.oci.image.ManifestDocument;
import dev.jcontainers.oci.image.MediaTypes;
import dev.jcontainers.oci.image.OciJson;
import dev.jcontainers.oci.registry.RegistryAuthenticator.Authorization;
import dev.jcontainers.oci.registry.RegistryAuthenticator.Scope;
import dev.jcontainers.oci.registry.RegistryErrors.Kind;
import dev.jcontainers.oci.registry.RegistryErrors.Subject;
import dev.jcontainers.oci.store.BlobWriter;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A client of the OCI distribution API over {@code java.net.http}. Thread-safe; one instance serves many
 * registries and caches their auth tokens.
 *
 * <p>Registries redirect blob GETs to object storage, and the registry's {@code Authorization} header must
 * not travel to that other host. The JDK's own redirect handling drops it across origins (JDK 25's
 * {@code Utils.ALLOWED_REDIRECT_HEADERS}), but redirects are followed here so that the rule does not depend
 * on the JDK version, an HTTPS-to-HTTP downgrade is refused, and only the registry's own 401s trigger auth.
 */
public final class RegistryClient implements AutoCloseable {
    private static final int MAX_MANIFEST_BYTES = 4 << 20;
    private static final int MAX_IN_MEMORY_BLOB_BYTES = 16 << 20;
    private static final int MAX_ERROR_BODY_BYTES = 64 << 10;
    private static final int MAX_TAGS_PAGE_BYTES = 4 << 20;
    private static final int MAX_REDIRECTS = 10;
    private static final long DEFAULT_CHUNKED_UPLOAD_THRESHOLD = 64L << 20;
    private static final int DEFAULT_UPLOAD_CHUNK_BYTES = 16 << 20;
    private static final int TAGS_PAGE_SIZE = 100;
    /** Until the response headers arrive; a blob body may then stream for as long as it takes. */
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);
    /** Until the answer to a request with a body arrives, which is after the whole body went out. */
    private static final Duration UPLOAD_TIMEOUT = Duration.ofMinutes(30);
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(15);

    private static final Duration DEFAULT_TLS_PROBE_TIMEOUT = Duration.ofSeconds(1);

    private final HttpClient http;
    private final java.util.concurrent.ConcurrentHashMap<String, RegistryEndpoint> endpoints =
            new java.util.concurrent.ConcurrentHashMap<>();
    private final Set<String> insecureRegistries;
    private final RegistryAuthenticator auth;
    private final int maxAttempts;
    private final Duration initialBackoff;
    private final Duration tlsProbeTimeout;
    private final InstantSource clock;
    private final long chunkedUploadThreshold;
    private final int uploadChunkBytes;

    private RegistryClient(Builder b) {
        HttpClient.Builder http = HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(CONNECT_TIMEOUT);
        if (b.sslContext != null) {
            http.sslContext(b.sslContext);
        }
        this.http = http.build();
        this.insecureRegistries = Set.copyOf(b.insecureRegistries);
        this.maxAttempts = b.maxAttempts;
        this.initialBackoff = b.initialBackoff;
        this.tlsProbeTimeout = b.tlsProbeTimeout;
        this.clock = b.clock;
        this.chunkedUploadThreshold = b.chunkedUploadThreshold;
        this.uploadChunkBytes = b.uploadChunkBytes;
        Function<String, Optional<Credentials>> configured = b.credentials;
        DockerConfigCredentials dockerConfig = b.dockerConfig == null ? null : new DockerConfigCredentials(b.dockerConfig);
        Function<String, Optional<Credentials>> lookup = registry -> {
            Optional<Credentials> own = configured.apply(registry);
            if (own != null && own.isPresent()) {
                return own;
            }
            return dockerConfig == null ? Optional.empty() : dockerConfig.lookup(registry);
        };
        this.auth = new RegistryAuthenticator(this.http, lookup, clock, REQUEST_TIMEOUT);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** GET /v2/ (authenticating if challenged); throws typed errors when unreachable or unauthorised. */
    public void ping(String registry) {
        RegistryEndpoint endpoint = endpoint(registry);
        Subject subject = new Subject(registry, null, Kind.PING, registry);
        execute(new Call(endpoint, null, "GET", endpoint.api(""), Map.of()), subject, exchange -> {
            requireSuccess(exchange, subject);
            return null;
        });
    }

    /**
     * GET a manifest or index by tag or digest. The digest is computed over the received bytes; when
     * {@code reference} is a digest the bytes must match it.
     */
    public ManifestResponse getManifest(String registry, String repository, String reference) {
        RegistryEndpoint endpoint = endpoint(registry);
        Optional<Digest> pinned = pinnedDigest(reference);
        Subject subject = manifestSubject(registry, repository, reference);
        Call call = new Call(endpoint, repository, "GET", manifestUri(endpoint, repository, reference),
                Map.of("Accept", MediaTypes.MANIFEST_ACCEPT));
        return execute(call, subject, exchange -> {
            requireSuccess(exchange, subject);
            byte[] bytes = readCapped(exchange.body(), MAX_MANIFEST_BYTES, "manifest " + subject.subject());
            Digest digest = verifyManifestDigest(bytes, pinned, exchange.response(), subject);
            String contentType = exchange.response().headers().firstValue("Content-Type").orElse(null);
            ManifestDocument document = OciJson.parseManifest(bytes, contentType);
            String mediaType = document.mediaType() != null ? document.mediaType() : stripParams(contentType);
            return new ManifestResponse(bytes, mediaType, digest, document);
        });
    }

    /** HEAD a manifest: its descriptor, or empty for 404. */
    public Optional<Descriptor> headManifest(String registry, String repository, String reference) {
        RegistryEndpoint endpoint = endpoint(registry);
        Optional<Digest> pinned = pinnedDigest(reference);
        Subject subject = manifestSubject(registry, repository, reference);
        Call call = new Call(endpoint, repository, "HEAD", manifestUri(endpoint, repository, reference),
                Map.of("Accept", MediaTypes.MANIFEST_ACCEPT));
        Optional<Optional<Descriptor>> headed = execute(call, subject, exchange -> {
            if (exchange.status() == 404) {
                return Optional.of(Optional.empty());
            }
            requireSuccess(exchange, subject);
            var headers = exchange.response().headers();
            Optional<String> digestHeader = headers.firstValue("Docker-Content-Digest");
            if (digestHeader.isEmpty()) {
                return Optional.empty(); // the registry does not tell; GET and hash instead
            }
            Digest digest = Digest.parse(digestHeader.get().trim());
            if (pinned.isPresent() && !pinned.get().equals(digest)) {
                throw new DigestMismatchException("manifest " + subject.subject(), pinned.get().toString(),
                        digest.toString());
            }
            String mediaType = stripParams(headers.firstValue("Content-Type").orElse(null));
            long size = headers.firstValueAsLong("Content-Length").orElse(-1);
            return Optional.of(Optional.of(Descriptor.of(mediaType, digest, size)));
        });
        if (headed.isPresent()) {
            return headed.get();
        }
        ManifestResponse full = getManifest(registry, repository, reference);
        return Optional.of(Descriptor.of(full.mediaType(), full.digest(), full.bytes().length));
    }

    /** GETs a small blob (config) fully into memory, verified against its digest. */
    public byte[] getBlob(String registry, String repository, Descriptor blob) {
        Digest digest = blob.parsedDigest();
        if (blob.size() > MAX_IN_MEMORY_BLOB_BYTES) {
            throw new MalformedContentException("blob " + digest + " declares " + blob.size()
                    + " bytes, more than the " + MAX_IN_MEMORY_BLOB_BYTES + " read into memory");
        }
        RegistryEndpoint endpoint = endpoint(registry);
        Subject subject = blobSubject(registry, repository, digest);
        Call call = new Call(endpoint, repository, "GET", blobUri(endpoint, repository, digest), Map.of());
        byte[] bytes = execute(call, subject, exchange -> {
            requireSuccess(exchange, subject);
            int cap = blob.size() >= 0 ? (int) blob.size() : MAX_IN_MEMORY_BLOB_BYTES;
            return readCapped(exchange.body(), cap, "blob " + subject.subject());
        });
        if (!digest.matches(bytes)) {
            throw new DigestMismatchException("blob " + subject.subject(), digest.toString(),
                    Digest.sha256(bytes).toString());
        }
        return bytes;
    }

    /**
     * Streams a blob into {@code sink}, following redirects, resuming with Range after a dropped connection
     * and retrying with backoff. Does not commit the writer. The received buffers go straight into the sink
     * (see {@link BlobDownload}); {@code sink} is called on the HTTP client's threads, one call at a time.
     *
     * <p>Throughput is bound by the JDK client's 16 KiB read buffer: a JVM started with
     * {@code -Djdk.httpclient.bufsize=262144} (as {@code bin/jc} is) spends about a quarter less CPU per
     * pull. That property is JVM-wide and read once, so this library leaves it to the embedder.
     */
    public void fetchBlob(String registry, String repository, Descriptor blob, BlobWriter sink,
                          ProgressCallback progress) {
        Digest digest = blob.parsedDigest();
        RegistryEndpoint endpoint = endpoint(registry);
        Subject subject = blobSubject(registry, repository, digest);
        URI uri = blobUri(endpoint, repository, digest);
        ProgressCallback report = progress != null ? progress : (done, total, attempt, cause) -> { };
        long total = blob.size();
        Throwable lastFailure = null;
        for (int attempt = 1; ; attempt++) {
            try {
                if (fetchOnce(endpoint, repository, subject, uri, total, sink, report, attempt)) {
                    return;
                }
                lastFailure = new IOException("the registry did not honour the Range request");
            } catch (IOException e) {
                lastFailure = e;
            } catch (TransientStatus e) {
                lastFailure = e;
            }
            if (attempt >= maxAttempts) {
                throw failedAfterRetries(registry, "GET " + uri, attempt, lastFailure);
            }
            report.progress(sink.written(), total, attempt + 1, lastFailure);
            backoff(attempt);
        }
    }

    /** One GET of the remaining bytes; false when it must be repeated from a reset sink. */
    private boolean fetchOnce(RegistryEndpoint endpoint, String repository, Subject subject, URI uri, long total,
                              BlobWriter sink, ProgressCallback report, int attempt) throws IOException {
        if (total >= 0 && sink.written() > total) {
            sink.reset();
        }
        if (total >= 0 && sink.written() == total && total > 0) {
            return true; // an earlier attempt got every byte before its connection failed
        }
        BlobDownload download = new BlobDownload(sink, total, subject.subject(), report, attempt);
        long from = download.from();
        Map<String, String> headers = from > 0 ? Map.of("Range", "bytes=" + from + "-") : Map.of();
        try (Exchange exchange = open(new Call(endpoint, repository, "GET", uri, headers), download)) {
            download.rethrowSinkFailure();
            if (download.streamed()) {
                download.requireComplete();
                return true;
            }
            int status = exchange.status();
            if (status == 416 || status == 206) { // 206: not the range asked for
                sink.reset();
                return false;
            }
            if (isTransient(status)) {
                throw new TransientStatus(status);
            }
            requireSuccess(exchange, subject);
            throw new IllegalStateException("unreachable: a 2xx answer is streamed into the sink");
        } catch (IOException e) {
            throw download.failure(e);
        }
    }

    /** All tags of a repository (follows Link pagination). */
    public List<String> listTags(String registry, String repository) {
        RegistryEndpoint endpoint = endpoint(registry);
        Subject subject = new Subject(registry, repository, Kind.TAGS, registry + "/" + repository);
        List<String> tags = new ArrayList<>();
        Set<URI> visited = new HashSet<>();
        URI next = endpoint.api(repository + "/tags/list?n=" + TAGS_PAGE_SIZE);
        while (next != null && visited.add(next)) {
            URI page = next;
            next = execute(new Call(endpoint, repository, "GET", page, Map.of()), subject, exchange -> {
                requireSuccess(exchange, subject);
                byte[] body = readCapped(exchange.body(), MAX_TAGS_PAGE_BYTES, "tag list of " + subject.subject());
                JsonNode json = readJson(body, "tag list of " + subject.subject());
                for (JsonNode tag : json.path("tags")) {
                    tags.add(tag.asText());
                }
                return LinkHeader.next(exchange.response().headers().allValues("Link"), page).orElse(null);
            });
        }
        return tags;
    }

    /**
     * The entry of {@code index} for {@code wanted}: the first whose platform {@link Platform#accepts accepts}
     * it, preferring one whose variant matches exactly. Attestation entries (platform unknown/unknown) are
     * never chosen.
     */
    public static Descriptor selectPlatform(ImageIndex index, Platform wanted) {
        return selectPlatform(index, wanted, "image index");
    }

    /** As {@link #selectPlatform(ImageIndex, Platform)}, naming the index (e.g. its reference) in errors. */
    public static Descriptor selectPlatform(ImageIndex index, Platform wanted, String indexName) {
        Descriptor accepted = null;
        List<String> available = new ArrayList<>();
        for (Descriptor entry : index.manifests()) {
            DescriptorPlatform platform = entry.platform();
            if (platform == null || isAttestation(entry)) {
                continue;
            }
            Platform candidate = platform.toPlatform();
            available.add(candidate.toString());
            if (!wanted.accepts(candidate)) {
                continue;
            }
            if (Objects.equals(normalVariant(wanted), normalVariant(candidate))) {
                return entry;
            }
            if (accepted == null) {
                accepted = entry;
            }
        }
        if (accepted != null) {
            return accepted;
        }
        throw new ImageNotFoundException("no manifest for " + wanted + " in " + indexName + ", available: "
                + (available.isEmpty() ? "none" : String.join(", ", available)));
    }

    private static boolean isAttestation(Descriptor entry) {
        DescriptorPlatform p = entry.platform();
        return ("unknown".equals(p.os()) && "unknown".equals(p.architecture()))
                || "attestation-manifest".equals(entry.annotation("vnd.docker.reference.type"));
    }

    private static String normalVariant(Platform p) {
        return p.variant() == null && p.architecture().equals("arm64") ? "v8" : p.variant();
    }

    // ---- push ---------------------------------------------------------------------------------------

    /** HEAD a blob: true when the repository has it (authenticated for push, as the push that asks will be). */
    public boolean blobExists(String registry, String repository, Digest digest) {
        RegistryEndpoint endpoint = endpoint(registry);
        Subject subject = blobSubject(registry, repository, digest);
        Call call = new Call(endpoint, Scope.push(repository), "HEAD", blobUri(endpoint, repository, digest),
                Map.of(), null);
        return execute(call, subject, exchange -> {
            if (exchange.status() == 404) {
                return false;
            }
            requireSuccess(exchange, subject);
            return true;
        });
    }

    /**
     * Makes {@code blob} (whose bytes are the file {@code content}) present in the repository: nothing to do
     * when it exists already; else a cross-repository mount from {@code mountFrom} (a repository of the same
     * registry that has it; null for none) and, when the registry declines the mount, an upload. Blobs of
     * at least {@link Builder#chunkedUploadThreshold} bytes go up in PATCH chunks, smaller ones in one PUT.
     * A connection failure or 5xx restarts the upload in a new session, with backoff, up to the retry limit.
     */
    public BlobPushOutcome pushBlob(String registry, String repository, Descriptor blob, Path content,
                                    String mountFrom, ProgressCallback progress) {
        Digest digest = blob.parsedDigest();
        long size = sizeOf(content);
        if (blob.size() >= 0 && blob.size() != size) {
            throw new MalformedContentException("blob " + digest + " declares " + blob.size() + " bytes but "
                    + content + " holds " + size);
        }
        if (blobExists(registry, repository, digest)) {
            return BlobPushOutcome.ALREADY_EXISTS;
        }
        RegistryEndpoint endpoint = endpoint(registry);
        Subject subject = blobSubject(registry, repository, digest);
        ProgressCallback report = progress != null ? progress : (done, total, attempt, cause) -> { };
        String from = mountFrom != null && !mountFrom.equals(repository) ? mountFrom : null;
        Throwable lastFailure = null;
        for (int attempt = 1; ; attempt++) {
            try {
                Optional<URI> session = startUpload(endpoint, repository, digest, from, subject);
                if (session.isEmpty()) {
                    return BlobPushOutcome.MOUNTED;
                }
                from = null; // declined once: a retry need not ask again
                URI location = session.get();
                if (size >= chunkedUploadThreshold) {
                    location = uploadChunks(endpoint, repository, location, content, size, subject, report, attempt);
                    finishUpload(endpoint, repository, location, digest, null, subject);
                } else {
                    finishUpload(endpoint, repository, location, digest,
                            new Upload(content, 0, size, size, report, attempt), subject);
                }
                report.progress(size, size, attempt, null);
                return BlobPushOutcome.UPLOADED;
            } catch (IOException | TransientStatus e) {
                lastFailure = e;
            }
            if (attempt >= maxAttempts) {
                throw failedAfterRetries(registry, "upload of blob " + digest + " to " + registry + "/" + repository,
                        attempt, lastFailure);
            }
            report.progress(0, size, attempt + 1, lastFailure);
            backoff(attempt);
        }
    }

    /**
     * PUTs a manifest under a tag (or its digest) and returns its digest, checked against what the registry
     * reports in {@code Docker-Content-Digest}.
     */
    public Digest putManifest(String registry, String repository, String reference, byte[] manifest,
                              String mediaType) {
        Digest digest = Digest.sha256(manifest);
        pinnedDigest(reference).filter(d -> !d.equals(digest)).ifPresent(d -> {
            throw new DigestMismatchException("manifest for " + registry + "/" + repository + "@" + d,
                    d.toString(), digest.toString());
        });
        RegistryEndpoint endpoint = endpoint(registry);
        Subject subject = manifestSubject(registry, repository, reference);
        Call call = new Call(endpoint, Scope.push(repository), "PUT", manifestUri(endpoint, repository, reference),
                Map.of("Content-Type", mediaType), () -> HttpRequest.BodyPublishers.ofByteArray(manifest));
        return execute(call, subject, exchange -> {
            requireSuccess(exchange, subject);
            Optional<String> reported = exchange.response().headers().firstValue("Docker-Content-Digest")
                    .map(String::trim);
            if (reported.isPresent() && !reported.get().equals(digest.toString())) {
                throw new DigestMismatchException("manifest " + subject.subject() + " (Docker-Content-Digest)",
                        digest.toString(), reported.get());
            }
            return digest;
        });
    }

    /** A file range to send as a request body, reporting bytes as they leave. */
    private record Upload(Path file, long offset, long length, long total, ProgressCallback report, int attempt) {
        HttpRequest.BodyPublisher publisher() {
            return ProgressPublisher.of(file, offset, length,
                    sent -> report.progress(offset + sent, total, attempt, null));
        }
    }

    /**
     * POSTs a new upload session: its location, or empty when {@code mountFrom} was given and the registry
     * mounted the blob (201). A 202 answer to a mount request is an ordinary session.
     */
    private Optional<URI> startUpload(RegistryEndpoint endpoint, String repository, Digest digest, String mountFrom,
                                      Subject subject) throws IOException {
        String path = repository + "/blobs/uploads/";
        Scope scope = Scope.push(repository);
        if (mountFrom != null) {
            path += "?mount=" + digest + "&from=" + mountFrom;
            scope = scope.mountingFrom(mountFrom);
        }
        try (Exchange exchange = open(new Call(endpoint, scope, "POST", endpoint.api(path), Map.of(),
                HttpRequest.BodyPublishers::noBody))) {
            requireNotTransient(exchange);
            if (mountFrom != null && exchange.status() == 201) {
                return Optional.empty();
            }
            requireStatus(exchange, 202, subject);
            return Optional.of(location(exchange, subject));
        }
    }

    private URI uploadChunks(RegistryEndpoint endpoint, String repository, URI location, Path content, long size,
                             Subject subject, ProgressCallback report, int attempt) throws IOException {
        URI next = location;
        for (long offset = 0; offset < size; ) {
            long length = Math.min(uploadChunkBytes, size - offset);
            Upload chunk = new Upload(content, offset, length, size, report, attempt);
            Map<String, String> headers = Map.of("Content-Type", "application/octet-stream",
                    "Content-Range", offset + "-" + (offset + length - 1));
            try (Exchange exchange = open(new Call(endpoint, Scope.push(repository), "PATCH", next, headers,
                    chunk::publisher))) {
                requireNotTransient(exchange);
                requireStatus(exchange, 202, subject);
                next = location(exchange, subject);
            }
            offset += length;
        }
        return next;
    }

    /** The closing PUT with {@code ?digest=}: carries the whole blob (monolithic) or nothing (after chunks). */
    private void finishUpload(RegistryEndpoint endpoint, String repository, URI location, Digest digest,
                              Upload whole, Subject subject) throws IOException {
        String query = location.getRawQuery();
        URI put = URI.create(location.toString() + (query == null || query.isEmpty() ? "?" : "&") + "digest="
                + digest);
        Map<String, String> headers = whole == null ? Map.of() : Map.of("Content-Type", "application/octet-stream");
        Supplier<HttpRequest.BodyPublisher> body = whole == null ? HttpRequest.BodyPublishers::noBody
                : whole::publisher;
        try (Exchange exchange = open(new Call(endpoint, Scope.push(repository), "PUT", put, headers, body))) {
            requireNotTransient(exchange);
            requireStatus(exchange, 201, subject);
        }
    }

    /** The session URL from {@code Location}, relative ones resolved against the request's URI. */
    private static URI location(Exchange exchange, Subject subject) {
        HttpResponse<InputStream> r = exchange.response();
        String value = r.headers().firstValue("Location").map(String::trim).orElseThrow(() ->
                new RegistryException(subject.registry(), r.statusCode(), r.request().method() + " " + r.uri()
                        + " answered " + r.statusCode() + " without a Location header"));
        try {
            return r.uri().resolve(value);
        } catch (IllegalArgumentException e) {
            throw new RegistryException(subject.registry(), r.statusCode(), "invalid upload Location \"" + value
                    + "\" from " + r.uri(), e);
        }
    }

    private static void requireNotTransient(Exchange exchange) {
        if (isTransient(exchange.status())) {
            throw new TransientStatus(exchange.status());
        }
    }

    private void requireStatus(Exchange exchange, int expected, Subject subject) throws IOException {
        requireSuccess(exchange, subject);
        if (exchange.status() != expected) {
            HttpResponse<InputStream> r = exchange.response();
            throw new RegistryException(subject.registry(), r.statusCode(), r.request().method() + " " + r.uri()
                    + " answered " + r.statusCode() + ", expected " + expected);
        }
    }

    private static long sizeOf(Path content) {
        try {
            return java.nio.file.Files.size(content);
        } catch (IOException e) {
            throw new dev.jcontainers.api.StorageException("cannot read blob file " + content + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        http.close();
    }

    // ---- requests -------------------------------------------------------------------------------------

    /**
     * A request to a registry: where, with which auth scope, which headers, and the body; the body is a
     * supplier because a request may be sent again (after a 401 or a redirect) and a publisher is used once.
     */
    private record Call(RegistryEndpoint endpoint, Scope scope, String method, URI uri, Map<String, String> headers,
                        Supplier<HttpRequest.BodyPublisher> body) {
        /** A pull-scoped call without a body. */
        Call(RegistryEndpoint endpoint, String repository, String method, URI uri, Map<String, String> headers) {
            this(endpoint, Scope.pull(repository), method, uri, headers, null);
        }

        Call withUri(URI other, String otherMethod) {
            return new Call(endpoint, scope, otherMethod, other, headers, otherMethod.equals(method) ? body : null);
        }

        HttpRequest.BodyPublisher publisher() {
            return body == null ? HttpRequest.BodyPublishers.noBody() : body.get();
        }
    }

    /** An open response whose body must be closed; remembers whether the user's credentials went with it. */
    private record Exchange(HttpResponse<InputStream> response, boolean credentialsSent) implements AutoCloseable {
        int status() {
            return response.statusCode();
        }

        InputStream body() {
            return response.body();
        }

        @Override
        public void close() {
            closeQuietly(response.body());
        }
    }

    @FunctionalInterface
    private interface ExchangeReader<R> {
        R read(Exchange exchange) throws IOException;
    }

    /** A 5xx answer worth retrying. */
    private static final class TransientStatus extends RuntimeException {
        TransientStatus(int status) {
            super("HTTP " + status, null, false, false);
        }
    }

    /**
     * Opens the call and hands the response to {@code reader}, retrying with backoff on connection failures,
     * 5xx answers and bodies cut short. Other answers are for the reader to accept or reject.
     */
    private <R> R execute(Call call, Subject subject, ExchangeReader<R> reader) {
        for (int attempt = 1; ; attempt++) {
            try (Exchange exchange = open(call)) {
                if (!isTransient(exchange.status()) || attempt >= maxAttempts) {
                    return reader.read(exchange);
                }
            } catch (IOException e) {
                if (attempt >= maxAttempts) {
                    throw failedAfterRetries(subject.registry(), call.method() + " " + call.uri(), attempt, e);
                }
            }
            backoff(attempt);
        }
    }

    /** Sends the call, answering one auth challenge: a 401 is retried once with fresh credentials. */
    private Exchange open(Call call) throws IOException {
        return open(call, HttpResponse.BodyHandlers.ofInputStream());
    }

    /** As {@link #open(Call)}, with the handler for each answer's body (e.g. one streaming a blob to disk). */
    private Exchange open(Call call, HttpResponse.BodyHandler<InputStream> bodies) throws IOException {
        String registry = call.endpoint().registry();
        Optional<Authorization> authorization = auth.upfront(registry, call.scope());
        HttpResponse<InputStream> response = sendFollowingRedirects(call, authorization, bodies);
        if (response.statusCode() == 401 && sameOrigin(response.uri(), call.endpoint().base())) {
            List<AuthChallenge> challenges = AuthChallenge.parseAll(response.headers().allValues("WWW-Authenticate"));
            closeQuietly(response.body());
            authorization = Optional.of(auth.answer(registry, call.scope(), challenges,
                    authorization.orElse(null)));
            response = sendFollowingRedirects(call, authorization, bodies);
        }
        return new Exchange(response, authorization.map(Authorization::withCredentials).orElse(false));
    }

    private HttpResponse<InputStream> sendFollowingRedirects(Call call, Optional<Authorization> authorization,
                                                             HttpResponse.BodyHandler<InputStream> bodies)
            throws IOException {
        Call current = call;
        for (int hop = 0; ; hop++) {
            // Credentials belong to the registry: never to the storage host a blob GET is redirected to.
            boolean toRegistry = sameOrigin(current.uri(), call.endpoint().base());
            HttpResponse<InputStream> response = send(current, toRegistry ? authorization : Optional.empty(), bodies);
            int status = response.statusCode();
            Optional<String> location = response.headers().firstValue("Location");
            if (!isRedirect(status) || location.isEmpty()) {
                return response;
            }
            closeQuietly(response.body());
            if (hop >= MAX_REDIRECTS) {
                throw new RegistryException(call.endpoint().registry(), status, "more than " + MAX_REDIRECTS
                        + " redirects for " + call.method() + " " + call.uri());
            }
            URI target;
            try {
                target = current.uri().resolve(location.get().trim());
            } catch (IllegalArgumentException e) {
                throw new RegistryException(call.endpoint().registry(), status, "invalid redirect Location \""
                        + location.get() + "\" for " + current.uri(), e);
            }
            if ("https".equalsIgnoreCase(current.uri().getScheme()) && !"https".equalsIgnoreCase(target.getScheme())
                    && !RegistryEndpoint.isLoopback(hostOf(target))) {
                throw new RegistryException(call.endpoint().registry(), status, "refusing redirect from "
                        + current.uri() + " to non-HTTPS " + target);
            }
            String method = status == 303 && !current.method().equals("HEAD") ? "GET" : current.method();
            current = current.withUri(target, method);
        }
    }

    private HttpResponse<InputStream> send(Call call, Optional<Authorization> authorization,
                                           HttpResponse.BodyHandler<InputStream> bodies) throws IOException {
        HttpRequest.Builder request = HttpRequest.newBuilder(call.uri())
                .method(call.method(), call.publisher())
                .timeout(call.body() != null ? UPLOAD_TIMEOUT : REQUEST_TIMEOUT);
        if ("http".equalsIgnoreCase(call.uri().getScheme())) {
            request.version(HttpClient.Version.HTTP_1_1); // no h2c upgrade dance with plain-HTTP registries
        }
        call.headers().forEach(request::header);
        authorization.ifPresent(a -> request.header("Authorization", a.header()));
        try {
            return http.send(request.build(), bodies);
        } catch (SSLException e) {
            throw new RegistryException(call.endpoint().registry(), 0, "TLS with " + call.uri().getAuthority()
                    + " failed: " + e.getMessage() + " (a private CA needs RegistryClient.Builder.sslContext;"
                    + " a plain-HTTP registry must be listed as insecure)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RegistryException(call.endpoint().registry(), 0, "interrupted during " + call.method() + " "
                    + call.uri(), e);
        }
    }

    private void requireSuccess(Exchange exchange, Subject subject) throws IOException {
        int status = exchange.status();
        if (status / 100 == 2) {
            return;
        }
        byte[] body = exchange.body().readNBytes(MAX_ERROR_BODY_BYTES);
        HttpResponse<InputStream> r = exchange.response();
        throw RegistryErrors.of(subject, r.request().method() + " " + r.uri(), status, r.headers(), body,
                exchange.credentialsSent(), clock);
    }

    private void backoff(int failedAttempt) {
        long millis = initialBackoff.toMillis() << Math.min(failedAttempt - 1, 16);
        try {
            Thread.sleep(Math.min(millis, Duration.ofSeconds(30).toMillis()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RegistryException(null, 0, "interrupted while waiting to retry", e);
        }
    }

    private static RegistryException failedAfterRetries(String registry, String request, int attempts,
                                                         Throwable cause) {
        int status = cause instanceof TransientStatus ? statusOf(cause) : 0;
        return new RegistryException(registry, status, request + " failed after " + attempts + " attempt"
                + (attempts == 1 ? "" : "s") + ": " + describe(cause), cause);
    }

    private static int statusOf(Throwable transientStatus) {
        return Integer.parseInt(transientStatus.getMessage().substring("HTTP ".length()));
    }

    private static String describe(Throwable t) {
        if (t instanceof ContainerException || t instanceof TransientStatus) {
            return t.getMessage();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getClass().getSimpleName() + ": "
                + t.getMessage();
    }

    // ---- helpers --------------------------------------------------------------------------------------

    private RegistryEndpoint endpoint(String registry) {
        return endpoints.computeIfAbsent(registry, this::discoverEndpoint);
    }

    /**
     * HTTPS unless the registry may use plain HTTP and does not answer over TLS: then plain HTTP, Docker's
     * fallback for insecure registries. Any HTTP answer to the TLS probe (even 401 or 404) means TLS works.
     */
    private RegistryEndpoint discoverEndpoint(String registry) {
        RegistryEndpoint endpoint = RegistryEndpoint.of(registry, insecureRegistries);
        if (!RegistryEndpoint.mayUsePlainHttp(registry, insecureRegistries)) {
            return endpoint;
        }
        RegistryEndpoint tls = endpoint.overHttps();
        HttpRequest probe = HttpRequest.newBuilder(tls.api("")).timeout(tlsProbeTimeout)
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build();
        try {
            http.send(probe, HttpResponse.BodyHandlers.discarding());
            return tls;
        } catch (IOException e) {
            return endpoint;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RegistryException(registry, 0, "interrupted while connecting to " + registry, e);
        }
    }

    private static Optional<Digest> pinnedDigest(String reference) {
        if (reference == null || reference.isEmpty()) {
            throw new IllegalArgumentException("manifest reference must be a tag or digest");
        }
        // A tag cannot contain ':', so a colon means the reference is a digest.
        return reference.contains(":") ? Optional.of(Digest.parse(reference)) : Optional.empty();
    }

    private static Subject manifestSubject(String registry, String repository, String reference) {
        String separator = reference.contains(":") ? "@" : ":";
        return new Subject(registry, repository, Kind.MANIFEST, registry + "/" + repository + separator + reference);
    }

    private static Subject blobSubject(String registry, String repository, Digest digest) {
        return new Subject(registry, repository, Kind.BLOB, registry + "/" + repository + "@" + digest);
    }

    private static URI manifestUri(RegistryEndpoint endpoint, String repository, String reference) {
        return endpoint.api(repository + "/manifests/" + reference);
    }

    private static URI blobUri(RegistryEndpoint endpoint, String repository, Digest digest) {
        return endpoint.api(repository + "/blobs/" + digest);
    }

    private static Digest verifyManifestDigest(byte[] bytes, Optional<Digest> pinned, HttpResponse<?> response,
                                               Subject subject) {
        Digest computed = Digest.sha256(bytes);
        if (pinned.isPresent() && !pinned.get().matches(bytes)) {
            throw new DigestMismatchException("manifest " + subject.subject(), pinned.get().toString(),
                    computed.toString());
        }
        Optional<String> header = response.headers().firstValue("Docker-Content-Digest").map(String::trim);
        if (header.isPresent() && header.get().startsWith("sha256:") && !header.get().equals(computed.toString())) {
            throw new DigestMismatchException("manifest " + subject.subject() + " (Docker-Content-Digest)",
                    header.get(), computed.toString());
        }
        return pinned.orElse(computed);
    }

    /** Reads the whole body, failing once it exceeds {@code cap} bytes (or its Content-Length does). */
    private static byte[] readCapped(InputStream in, int cap, String what) throws IOException {
        byte[] bytes = in.readNBytes(cap + 1);
        if (bytes.length > cap) {
            throw new MalformedContentException(what + " is larger than " + cap + " bytes");
        }
        return bytes;
    }

    private static JsonNode readJson(byte[] bytes, String what) {
        try {
            JsonNode json = OciJson.mapper().readTree(bytes);
            if (json == null || !json.isObject()) {
                throw new MalformedContentException(what + " is not a JSON object");
            }
            return json;
        } catch (IOException e) {
            throw new MalformedContentException(what + " is not valid JSON: " + e.getMessage(), e);
        }
    }

    private static boolean isTransient(int status) {
        return status == 500 || status == 502 || status == 503 || status == 504;
    }

    private static boolean isRedirect(int status) {
        return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
    }

    private static boolean sameOrigin(URI a, URI b) {
        return a.getScheme().equalsIgnoreCase(b.getScheme()) && a.getHost().equalsIgnoreCase(b.getHost())
                && effectivePort(a) == effectivePort(b);
    }

    private static int effectivePort(URI uri) {
        return uri.getPort() >= 0 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }

    private static String hostOf(URI uri) {
        return uri.getHost() == null ? "" : uri.getHost(); // IPv6 literals keep their brackets
    }

    private static String stripParams(String contentType) {
        if (contentType == null) {
            return null;
        }
        int semi = contentType.indexOf(';');
        return (semi < 0 ? contentType : contentType.substring(0, semi)).trim();
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException ignored) {
            // the connection is being abandoned anyway
        }
    }

    /** Manifest bytes as received, their media type (document's own, else Content-Type) and computed digest. */
    public record ManifestResponse(byte[] bytes, String mediaType, Digest digest, ManifestDocument document) {
    }

    @FunctionalInterface
    public interface ProgressCallback {
        /** {@code done} of {@code total} bytes; {@code attempt} > 1 after retries. */
        void progress(long done, long total, int attempt, Throwable retryCause);
    }

    public static final class Builder {
        private final Set<String> insecureRegistries = new HashSet<>();
        private Function<String, Optional<Credentials>> credentials = registry -> Optional.empty();
        private Path dockerConfig = DockerConfigCredentials.defaultFile();
        private SSLContext sslContext;
        private int maxAttempts = 5;
        private Duration initialBackoff = Duration.ofMillis(200);
        private Duration tlsProbeTimeout = DEFAULT_TLS_PROBE_TIMEOUT;
        private InstantSource clock = InstantSource.system();
        private long chunkedUploadThreshold = DEFAULT_CHUNKED_UPLOAD_THRESHOLD;
        private int uploadChunkBytes = DEFAULT_UPLOAD_CHUNK_BYTES;

        private Builder() {
        }

        /**
         * Blobs of at least this many bytes are uploaded in PATCH chunks of {@link #uploadChunkBytes}; smaller
         * ones in a single PUT. Default 64 MiB.
         */
        public Builder chunkedUploadThreshold(long bytes) {
            if (bytes < 1) {
                throw new IllegalArgumentException("chunkedUploadThreshold must be positive, got " + bytes);
            }
            this.chunkedUploadThreshold = bytes;
            return this;
        }

        /** The size of one PATCH chunk (held in memory while sent). Default 16 MiB. */
        public Builder uploadChunkBytes(int bytes) {
            if (bytes < 1) {
                throw new IllegalArgumentException("uploadChunkBytes must be positive, got " + bytes);
            }
            this.uploadChunkBytes = bytes;
            return this;
        }

        /** Registries ({@code host[:port]}) to speak plain HTTP to; loopback always may. */
        public Builder insecureRegistries(Set<String> registries) {
            insecureRegistries.addAll(registries);
            return this;
        }

        /** Credentials per registry host; consulted before the Docker config file. */
        public Builder credentials(Function<String, Optional<Credentials>> lookup) {
            this.credentials = Objects.requireNonNull(lookup, "lookup");
            return this;
        }

        /** The Docker client config to read credentials from; null reads none. Default: Docker's own. */
        public Builder dockerConfig(Path configJson) {
            this.dockerConfig = configJson;
            return this;
        }

        /** TLS trust for registries with a private CA; default the JDK's trust store. */
        public Builder sslContext(SSLContext context) {
            this.sslContext = context;
            return this;
        }

        /** Attempts per request, counting the first; retried are connection failures, cut bodies and 5xx. */
        public Builder maxAttempts(int attempts) {
            if (attempts < 1) {
                throw new IllegalArgumentException("maxAttempts must be at least 1, got " + attempts);
            }
            this.maxAttempts = attempts;
            return this;
        }

        /**
         * How long to wait for a TLS answer from a loopback or insecure registry before falling back to
         * plain HTTP. A server that does not speak TLS may never answer a ClientHello.
         */
        public Builder tlsProbeTimeout(Duration timeout) {
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("tlsProbeTimeout must be positive");
            }
            this.tlsProbeTimeout = timeout;
            return this;
        }

        /** Wait before the first retry; doubled for each further one (capped at 30 s). Default 200 ms. */
        public Builder initialBackoff(Duration backoff) {
            if (backoff.isNegative()) {
                throw new IllegalArgumentException("backoff must not be negative");
            }
            this.initialBackoff = backoff;
            return this;
        }

        /** The clock for token expiry and Retry-After dates; tests move it. */
        Builder clock(InstantSource source) {
            this.clock = Objects.requireNonNull(source, "clock");
            return this;
        }

        public RegistryClient build() {
            return new RegistryClient(this);
        }
    }
}
