package dev.jcontainers.oci.reference;

import dev.jcontainers.api.InvalidReferenceException;
import dev.jcontainers.oci.image.Digest;

import java.util.Optional;
import java.util.regex.Pattern;

import static dev.jcontainers.oci.reference.ReferenceGrammar.invalid;

/**
 * A parsed, normalised image reference {@code [registry/][namespace/]repository[:tag|@digest]}, read the
 * way Docker's {@code ParseNormalizedNamed} reads it: {@code nginx} is
 * {@code docker.io/library/nginx:latest}, {@code index.docker.io} is {@code docker.io}, and the first path
 * component is a registry only when it contains '.' or ':', is {@code localhost}, or has upper-case letters.
 *
 * <p>Every instance is valid and normalised: the canonical constructor applies the same rules as
 * {@link #parse}, so {@code parse(ref.toString()).equals(ref)} always holds. {@code tag} and {@code digest}
 * may each be null but not both; when both are absent the tag defaults to {@code latest}, as a bare name
 * does. A reference with both pins the digest; the tag is kept for display.
 *
 * @param registry   host with optional port: {@code docker.io}, {@code ghcr.io}, {@code 127.0.0.1:5000},
 *                   {@code [::1]:5000}
 * @param repository slash-separated lower-case path, {@code library/nginx} for Docker Hub official images
 * @param tag        e.g. {@code 1.25-alpine}, or null
 * @param digest     {@code algorithm:hex}, e.g. {@code sha256:<64 hex>}, or null
 */
public record ImageReference(String registry, String repository, String tag, String digest) {
    public static final String DOCKER_HUB = "docker.io";
    /** Where the Docker Hub registry API actually answers; {@code docker.io} itself only redirects. */
    public static final String DOCKER_HUB_API_HOST = "registry-1.docker.io";
    public static final String DEFAULT_TAG = "latest";

    private static final String LEGACY_DOCKER_HUB = "index.docker.io";
    private static final String OFFICIAL_PREFIX = "library/";
    /** A bare 64-hex string is an image ID; Docker refuses it as a name so the two cannot be confused. */
    private static final Pattern IMAGE_ID = Pattern.compile("[a-f0-9]{64}");

    /**
     * Normalises and validates. Throws {@link InvalidReferenceException} for any part the grammar rejects
     * and for a registry that would not be read back as one (for example {@code myhost} without a port).
     */
    public ImageReference {
        if (registry == null || repository == null) {
            throw invalid(format(registry, repository, tag, digest),
                    registry == null ? "missing registry" : "missing repository name");
        }
        registry = normaliseRegistry(registry);
        repository = normaliseRepository(registry, repository);
        if (tag == null && digest == null) {
            tag = DEFAULT_TAG;
        }
        String written = format(registry, repository, tag, digest);
        ReferenceGrammar.checkRegistry(written, registry, 0);
        if (!ReferenceGrammar.looksLikeRegistry(registry)) {
            throw invalid(written, "registry \"" + registry + "\" would be read as a Docker Hub namespace;"
                    + " a registry needs a '.', a ':port' or the name localhost");
        }
        int repositoryOffset = registry.length() + 1;
        ReferenceGrammar.checkRepository(written, repository, repositoryOffset);
        int tagOffset = repositoryOffset + repository.length() + 1;
        if (tag != null) {
            ReferenceGrammar.checkTag(written, tag, tagOffset);
        }
        if (digest != null) {
            int digestOffset = tag == null ? tagOffset : tagOffset + tag.length() + 1;
            ReferenceGrammar.checkDigest(written, digest, digestOffset);
        }
        ReferenceGrammar.checkNameLength(written, registry + "/" + repository);
    }

    /**
     * Parses {@code [registry/][namespace/]repository[:tag][@digest]}.
     *
     * @throws InvalidReferenceException for null, empty or malformed text, with the reason and, where one
     *                                   character is at fault, its index
     */
    public static ImageReference parse(String text) {
        if (text == null) {
            throw invalid(null, "reference is null");
        }
        if (text.isEmpty()) {
            throw invalid(text, "reference is empty");
        }
        if (IMAGE_ID.matcher(text).matches()) {
            throw invalid(text, "a 64-character hex string is an image ID, not a repository name");
        }
        int at = text.indexOf('@');
        String nameAndTag = at < 0 ? text : text.substring(0, at);
        String digest = at < 0 ? null : text.substring(at + 1);

        int slash = nameAndTag.indexOf('/');
        boolean hasRegistry = slash >= 0 && ReferenceGrammar.looksLikeRegistry(nameAndTag.substring(0, slash));
        String registry = hasRegistry ? nameAndTag.substring(0, slash) : DOCKER_HUB;
        int remainderStart = hasRegistry ? slash + 1 : 0;
        String remainder = nameAndTag.substring(remainderStart);

        // Path components cannot contain ':', so the first one after the registry starts the tag.
        int colon = remainder.indexOf(':');
        String repository = colon < 0 ? remainder : remainder.substring(0, colon);
        String tag = colon < 0 ? null : remainder.substring(colon + 1);

        // Check against the text as typed, so indices in messages point into it.
        if (hasRegistry) {
            ReferenceGrammar.checkRegistry(text, registry, 0);
        }
        ReferenceGrammar.checkRepository(text, repository, remainderStart);
        if (tag != null) {
            ReferenceGrammar.checkTag(text, tag, remainderStart + colon + 1);
        }
        if (digest != null) {
            ReferenceGrammar.checkDigest(text, digest, at + 1);
        }
        // Docker limits the length of the normalised name: "nginx" counts as docker.io/library/nginx.
        String normalisedRegistry = normaliseRegistry(registry);
        ReferenceGrammar.checkNameLength(text,
                normalisedRegistry + "/" + normaliseRepository(normalisedRegistry, repository));
        return new ImageReference(registry, repository, tag, digest);
    }

    private static String normaliseRegistry(String registry) {
        return registry.equals(LEGACY_DOCKER_HUB) ? DOCKER_HUB : registry;
    }

    /** Docker Hub's official images live under {@code library/}. */
    private static String normaliseRepository(String registry, String repository) {
        return registry.equals(DOCKER_HUB) && repository.indexOf('/') < 0 ? OFFICIAL_PREFIX + repository : repository;
    }

    /** {@link #parse}, with malformed text as an empty result instead of an exception. */
    public static Optional<ImageReference> tryParse(String text) {
        try {
            return Optional.of(parse(text));
        } catch (InvalidReferenceException e) {
            return Optional.empty();
        }
    }

    /** {@code registry/repository}, e.g. {@code docker.io/library/nginx}. */
    public String name() {
        return registry + "/" + repository;
    }

    /** What goes in {@code /v2/<repository>/manifests/<reference>}: the digest if pinned, else the tag. */
    public String reference() {
        return digest != null ? digest : tag;
    }

    public boolean isDigested() {
        return digest != null;
    }

    /** This reference with another tag; a digest, if any, is kept and still decides what is pulled. */
    public ImageReference withTag(String newTag) {
        return new ImageReference(registry, repository, newTag, digest);
    }

    /** This reference pinned to {@code newDigest}; the tag, if any, is kept for display. */
    public ImageReference withDigest(String newDigest) {
        return new ImageReference(registry, repository, tag, newDigest);
    }

    public ImageReference withDigest(Digest newDigest) {
        return withDigest(newDigest.toString());
    }

    /**
     * This reference without its tag. A digested reference stays pinned by its digest alone; an undigested
     * one falls back to {@code latest}, just as the name typed without a tag would.
     */
    public ImageReference withoutTag() {
        return new ImageReference(registry, repository, null, digest);
    }

    /** Host (and port) to send registry API requests to: {@code registry-1.docker.io} for Docker Hub. */
    public String apiHost() {
        return registry.equals(DOCKER_HUB) ? DOCKER_HUB_API_HOST : registry;
    }

    /**
     * True for {@code localhost}, 127.0.0.0/8 and {@code [::1]}, with or without a port: registries that
     * may be spoken to over plain HTTP, as Docker allows for them without an insecure-registries entry.
     */
    public boolean isLoopbackRegistry() {
        return LoopbackHost.isLoopback(registry);
    }

    /**
     * Docker's short form: Docker Hub's {@code docker.io/} and {@code library/} prefixes dropped
     * ({@code nginx:latest}, {@code user/app:1}), other registries kept. Unlike Docker, the
     * {@code docker.io/} prefix stays when the first path component would otherwise be read back as a
     * registry ({@code docker.io/my.org/app}), so the short form always parses to this reference.
     */
    public String familiar() {
        return format(familiarName(), tag, digest);
    }

    /** The short repository name without tag or digest ({@code nginx}, {@code user/app}, {@code host:5000/app}). */
    public String familiarName() {
        if (!registry.equals(DOCKER_HUB)) {
            return name();
        }
        String path = repository;
        if (path.startsWith(OFFICIAL_PREFIX) && path.indexOf('/', OFFICIAL_PREFIX.length()) < 0) {
            path = path.substring(OFFICIAL_PREFIX.length());
        }
        int slash = path.indexOf('/');
        if (slash >= 0 && ReferenceGrammar.looksLikeRegistry(path.substring(0, slash))) {
            return name();
        }
        return path;
    }

    /** The fully qualified form, e.g. {@code docker.io/library/nginx:latest} or {@code reg/repo:tag@digest}. */
    @Override
    public String toString() {
        return format(name(), tag, digest);
    }

    private static String format(String registry, String repository, String tag, String digest) {
        return format(registry + "/" + repository, tag, digest);
    }

    private static String format(String name, String tag, String digest) {
        StringBuilder text = new StringBuilder(name);
        if (tag != null) {
            text.append(':').append(tag);
        }
        if (digest != null) {
            text.append('@').append(digest);
        }
        return text.toString();
    }
}
