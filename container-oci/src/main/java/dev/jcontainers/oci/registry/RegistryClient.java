package dev.jcontainers.oci.registry;

import dev.jcontainers.api.Credentials;
import dev.jcontainers.oci.image.Descriptor;
import dev.jcontainers.oci.image.Digest;
import dev.jcontainers.oci.image.ManifestDocument;
import dev.jcontainers.oci.store.BlobWriter;

import javax.net.ssl.SSLContext;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * A client of the OCI distribution API over {@code java.net.http}. Thread-safe; one instance serves many
 * registries and caches their auth tokens.
 */
public final class RegistryClient implements AutoCloseable {

    public static Builder builder() {
        return new Builder();
    }

    /** GET /v2/ (authenticating if challenged); throws typed errors when unreachable or unauthorised. */
    public void ping(String registry) {
        throw new UnsupportedOperationException("registry helper");
    }

    /**
     * GET a manifest or index by tag or digest. The digest is computed over the received bytes; when
     * {@code reference} is a digest the bytes must match it.
     */
    public ManifestResponse getManifest(String registry, String repository, String reference) {
        throw new UnsupportedOperationException();
    }

    /** HEAD a manifest: its descriptor, or empty for 404. */
    public Optional<Descriptor> headManifest(String registry, String repository, String reference) {
        throw new UnsupportedOperationException();
    }

    /** GETs a small blob (config) fully into memory, verified against its digest. */
    public byte[] getBlob(String registry, String repository, Descriptor blob) {
        throw new UnsupportedOperationException();
    }

    /**
     * Streams a blob into {@code sink}, following redirects, resuming with Range after a dropped connection
     * and retrying with backoff. Does not commit the writer.
     */
    public void fetchBlob(String registry, String repository, Descriptor blob, BlobWriter sink,
                          ProgressCallback progress) {
        throw new UnsupportedOperationException();
    }

    public static Descriptor selectPlatform(dev.jcontainers.oci.image.ImageIndex index, dev.jcontainers.api.Platform wanted) {
        throw new UnsupportedOperationException();
    }

    /** All tags of a repository (follows Link pagination). */
    public List<String> listTags(String registry, String repository) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void close() {
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
        /** Registries ({@code host[:port]}) to speak plain HTTP to; loopback always may. */
        public Builder insecureRegistries(Set<String> registries) {
            return this;
        }

        /** Credentials per registry host; consulted before the Docker config file. */
        public Builder credentials(Function<String, Optional<Credentials>> lookup) {
            return this;
        }

        public Builder dockerConfig(java.nio.file.Path configJson) {
            return this;
        }

        public Builder sslContext(SSLContext context) {
            return this;
        }

        public Builder maxAttempts(int attempts) {
            return this;
        }

        public RegistryClient build() {
            return new RegistryClient();
        }
    }
}
