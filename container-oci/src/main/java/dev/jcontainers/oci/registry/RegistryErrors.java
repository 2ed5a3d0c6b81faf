package dev.jcontainers.oci.registry;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jcontainers.api.ContainerException;
import dev.jcontainers.api.ImageNotFoundException;
import dev.jcontainers.api.RateLimitedException;
import dev.jcontainers.api.RegistryAuthException;
import dev.jcontainers.api.RegistryException;
import dev.jcontainers.oci.image.OciJson;

import java.io.IOException;
import java.net.http.HttpHeaders;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Turns an unsuccessful registry answer into the typed exception a caller can act on. */
final class RegistryErrors {
    private RegistryErrors() {
    }

    /** What a request was about, for messages: e.g. kind "manifest", subject "127.0.0.1:5000/foo:bar". */
    record Subject(String registry, String repository, Kind kind, String subject) {
    }

    enum Kind { PING, MANIFEST, BLOB, TAGS }

    static ContainerException of(Subject s, String request, int status, HttpHeaders headers, byte[] body,
                                 boolean credentialsSent, InstantSource clock) {
        String detail = errorMessage(body).map(m -> ": " + m).orElse("");
        return switch (status) {
            case 401, 403 -> new RegistryAuthException(s.registry(), status,
                    RegistryAuthenticator.where(s.registry(), s.repository()) + ": access denied (HTTP " + status
                            + "), " + (credentialsSent ? "credentials were sent" : "no credentials were sent")
                            + detail);
            case 404 -> switch (s.kind()) {
                case MANIFEST -> new ImageNotFoundException("manifest unknown: " + s.subject());
                case BLOB -> new ImageNotFoundException("blob unknown: " + s.subject());
                case TAGS -> new ImageNotFoundException("repository unknown: " + s.subject());
                case PING -> new RegistryException(s.registry(), status, s.registry()
                        + " does not serve the registry API at /v2/ (HTTP 404)");
            };
            case 429 -> new RateLimitedException(s.registry(), s.registry() + " rate-limited " + request
                    + " (HTTP 429)" + detail, retryAfter(headers, clock).orElse(null));
            default -> new RegistryException(s.registry(), status, s.registry() + " answered HTTP " + status
                    + " to " + request + detail);
        };
    }

    /** Retry-After as delay-seconds or an HTTP-date (RFC 9110 section 10.2.3). */
    static Optional<Duration> retryAfter(HttpHeaders headers, InstantSource clock) {
        Optional<String> value = headers.firstValue("Retry-After").map(String::trim);
        if (value.isEmpty() || value.get().isEmpty()) {
            return Optional.empty();
        }
        String v = value.get();
        if (v.chars().allMatch(Character::isDigit)) {
            try {
                return Optional.of(Duration.ofSeconds(Long.parseLong(v)));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        }
        try {
            Instant at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            Duration wait = Duration.between(clock.instant(), at);
            return Optional.of(wait.isNegative() ? Duration.ZERO : wait);
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /** The messages of a distribution-spec error body {@code {"errors":[{"code","message"}]}}, if any. */
    static Optional<String> errorMessage(byte[] body) {
        if (body == null || body.length == 0) {
            return Optional.empty();
        }
        JsonNode tree;
        try {
            tree = OciJson.mapper().readTree(body);
        } catch (IOException e) {
            return Optional.empty();
        }
        if (tree == null || !tree.path("errors").isArray()) {
            return Optional.empty();
        }
        List<String> parts = new ArrayList<>();
        for (JsonNode error : tree.get("errors")) {
            String code = error.path("code").asText("");
            String message = error.path("message").asText("");
            String part = code.isEmpty() ? message : message.isEmpty() ? code : code + " " + message;
            if (!part.isEmpty()) {
                parts.add(part);
            }
        }
        return parts.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", parts));
    }
}
