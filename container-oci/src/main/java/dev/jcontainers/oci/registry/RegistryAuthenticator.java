package dev.jcontainers.oci.registry;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jcontainers.api.Credentials;
import dev.jcontainers.api.RegistryAuthException;
import dev.jcontainers.api.RegistryException;
import dev.jcontainers.oci.image.OciJson;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Answers registry auth challenges (the Docker token protocol on top of RFC 7235) and remembers, per
 * registry, which scheme it wants, so that later requests authenticate up front instead of paying a 401
 * round trip each. Bearer tokens are cached per (registry, scope) and renewed shortly before they expire.
 */
final class RegistryAuthenticator {
    /** Docker's default when a token response has no {@code expires_in}. */
    private static final Duration DEFAULT_TOKEN_LIFETIME = Duration.ofSeconds(60);
    private static final Duration MAX_RENEWAL_MARGIN = Duration.ofSeconds(10);
    private static final int MAX_TOKEN_RESPONSE = 1 << 20;
    private static final String CLIENT_ID = "jcontainers";

    /** The header value to send, and whether it carries the user's credentials (for error messages). */
    record Authorization(String header, boolean withCredentials) {
    }

    private record TokenKey(String registry, String scope) {
    }

    private record BearerToken(String value, Instant renewAt, boolean withCredentials) {
    }

    private final HttpClient http;
    private final Function<String, Optional<Credentials>> credentialSource;
    private final InstantSource clock;
    private final Duration timeout;
    private final Map<String, AuthChallenge> challengeByRegistry = new ConcurrentHashMap<>();
    private final Map<TokenKey, BearerToken> tokens = new ConcurrentHashMap<>();
    private final Map<String, Optional<Credentials>> credentialsByRegistry = new ConcurrentHashMap<>();

    RegistryAuthenticator(HttpClient http, Function<String, Optional<Credentials>> credentialSource,
                          InstantSource clock, Duration timeout) {
        this.http = http;
        this.credentialSource = credentialSource;
        this.clock = clock;
        this.timeout = timeout;
    }

    /**
     * What a request needs access to: a repository, for pull or for pull and push, and for a cross-repository
     * mount also pull on the repository the blob is mounted from. One token covers all of it, so the token
     * request carries one {@code scope} parameter per repository (as Docker sends them).
     */
    record Scope(String repository, boolean push, String mountFrom) {
        static Scope pull(String repository) {
            return repository == null ? null : new Scope(repository, false, null);
        }

        static Scope push(String repository) {
            return new Scope(repository, true, null);
        }

        Scope mountingFrom(String otherRepository) {
            return new Scope(repository, push, otherRepository);
        }

        List<String> tokenScopes() {
            String own = "repository:" + repository + (push ? ":pull,push" : ":pull");
            return mountFrom == null ? List.of(own) : List.of(own, "repository:" + mountFrom + ":pull");
        }
    }

    /** What to send before being challenged: nothing until this registry has challenged us once. */
    Optional<Authorization> upfront(String registry, Scope scope) {
        String repository = scope == null ? null : scope.repository();
        AuthChallenge known = challengeByRegistry.get(registry);
        if (known == null) {
            return Optional.empty();
        }
        if (known.is("Basic")) {
            return credentials(registry).map(c -> new Authorization(basic(c), true));
        }
        return Optional.of(bearer(registry, scope, known, false));
    }

    /**
     * Answers a 401. {@code sent} is what the failed request carried: a cached token that was refused is
     * dropped and a new one fetched; refused Basic credentials are final.
     */
    Authorization answer(String registry, Scope scope, List<AuthChallenge> challenges, Authorization sent) {
        String repository = scope == null ? null : scope.repository();
        Optional<AuthChallenge> bearer = challenges.stream().filter(c -> c.is("Bearer")).findFirst();
        if (bearer.isPresent()) {
            challengeByRegistry.put(registry, bearer.get());
            return bearer(registry, scope, bearer.get(), sent != null);
        }
        Optional<AuthChallenge> basic = challenges.stream().filter(c -> c.is("Basic")).findFirst();
        if (basic.isPresent()) {
            challengeByRegistry.put(registry, basic.get());
            Optional<Credentials> creds = credentials(registry);
            if (creds.isEmpty()) {
                throw new RegistryAuthException(registry, 401, where(registry, repository)
                        + " requires authentication (Basic) and no credentials are configured for it");
            }
            if (sent != null && sent.withCredentials()) {
                throw new RegistryAuthException(registry, 401, where(registry, repository)
                        + " rejected the configured credentials (Basic, credentials were sent)");
            }
            return new Authorization(basic(creds.get()), true);
        }
        String offered = challenges.stream().map(AuthChallenge::scheme).collect(Collectors.joining(", "));
        throw new RegistryAuthException(registry, 401, where(registry, repository)
                + " answered 401 with " + (offered.isEmpty() ? "no usable WWW-Authenticate challenge"
                : "unsupported auth scheme(s): " + offered));
    }

    private Authorization bearer(String registry, Scope scope, AuthChallenge challenge, boolean refused) {
        String challenged = challenge.param("scope");
        List<String> scopes = scope != null ? scope.tokenScopes()
                : challenged == null ? List.of() : List.of(challenged.split(" "));
        TokenKey key = new TokenKey(registry, String.join(" ", scopes));
        BearerToken token = refused ? null : tokens.get(key);
        if (token == null || !clock.instant().isBefore(token.renewAt())) {
            token = fetchToken(registry, scope == null ? null : scope.repository(), challenge, scopes);
            tokens.put(key, token);
        }
        return new Authorization("Bearer " + token.value(), token.withCredentials());
    }

    private BearerToken fetchToken(String registry, String repository, AuthChallenge challenge, List<String> scopes) {
        String realm = challenge.param("realm");
        if (realm == null || realm.isEmpty()) {
            throw new RegistryAuthException(registry, 401, where(registry, repository)
                    + " sent a Bearer challenge without a realm");
        }
        List<Map.Entry<String, String>> params = new ArrayList<>();
        if (challenge.param("service") != null) {
            params.add(Map.entry("service", challenge.param("service")));
        }
        scopes.forEach(s -> params.add(Map.entry("scope", s)));
        Optional<Credentials> creds = credentials(registry);
        try {
            HttpResponse<byte[]> response;
            boolean withCredentials = creds.isPresent();
            if (creds.isPresent() && DockerConfigCredentials.IDENTITY_TOKEN_USER.equals(creds.get().username())) {
                response = oauthRefresh(realm, params, creds.get().password());
                if (response.statusCode() == 404 || response.statusCode() == 405) {
                    // An auth server without OAuth2 POST support may still hand out anonymous tokens.
                    response = tokenGet(realm, params, null);
                    withCredentials = false;
                }
            } else {
                response = tokenGet(realm, params, creds.orElse(null));
            }
            return parseToken(registry, repository, realm, response, withCredentials);
        } catch (IOException e) {
            throw new RegistryException(registry, 0, "cannot reach the token service " + realm + " of "
                    + registry + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RegistryException(registry, 0, "interrupted while fetching a token from " + realm, e);
        }
    }

    private HttpResponse<byte[]> tokenGet(String realm, List<Map.Entry<String, String>> params, Credentials creds)
            throws IOException, InterruptedException {
        String query = form(params);
        URI uri = URI.create(query.isEmpty() ? realm : realm + (realm.contains("?") ? "&" : "?") + query);
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).GET().timeout(timeout);
        if (creds != null) {
            request.header("Authorization", basic(creds));
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private HttpResponse<byte[]> oauthRefresh(String realm, List<Map.Entry<String, String>> params,
                                              String refreshToken) throws IOException, InterruptedException {
        // OAuth2 (RFC 6749 section 3.3) takes several scopes as one space-separated parameter.
        List<Map.Entry<String, String>> form = new ArrayList<>();
        List<String> scopes = new ArrayList<>();
        for (Map.Entry<String, String> p : params) {
            if (p.getKey().equals("scope")) {
                scopes.add(p.getValue());
            } else {
                form.add(p);
            }
        }
        if (!scopes.isEmpty()) {
            form.add(Map.entry("scope", String.join(" ", scopes)));
        }
        form.add(Map.entry("grant_type", "refresh_token"));
        form.add(Map.entry("refresh_token", refreshToken));
        form.add(Map.entry("client_id", CLIENT_ID));
        HttpRequest request = HttpRequest.newBuilder(URI.create(realm))
                .timeout(timeout)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form(form)))
                .build();
        return http.send(request, HttpResponse.BodyHandlers.ofByteArray());
    }

    private BearerToken parseToken(String registry, String repository, String realm, HttpResponse<byte[]> response,
                                   boolean withCredentials) {
        int status = response.statusCode();
        if (status == 401 || status == 403) {
            throw new RegistryAuthException(registry, status, where(registry, repository) + ": the token service "
                    + realm + " refused a token (HTTP " + status + "), "
                    + (withCredentials ? "credentials were sent" : "no credentials were sent"));
        }
        if (status / 100 != 2) {
            throw new RegistryException(registry, status, "token service " + realm + " of " + registry
                    + " answered HTTP " + status);
        }
        if (response.body().length > MAX_TOKEN_RESPONSE) {
            throw new RegistryException(registry, status, "token service " + realm + " sent an oversized response");
        }
        JsonNode json;
        try {
            json = OciJson.mapper().readTree(response.body());
        } catch (IOException e) {
            throw new RegistryException(registry, status, "token service " + realm + " sent invalid JSON", e);
        }
        String token = json == null ? "" : json.path("token").asText("");
        if (token.isEmpty() && json != null) {
            token = json.path("access_token").asText("");
        }
        if (token.isEmpty()) {
            throw new RegistryException(registry, status, "token service " + realm + " sent no token");
        }
        long seconds = json.path("expires_in").asLong(0);
        Duration lifetime = seconds > 0 ? Duration.ofSeconds(seconds) : DEFAULT_TOKEN_LIFETIME;
        Instant issued = issuedAt(json.path("issued_at").asText(""));
        Duration margin = lifetime.dividedBy(4).compareTo(MAX_RENEWAL_MARGIN) < 0 ? lifetime.dividedBy(4)
                : MAX_RENEWAL_MARGIN;
        return new BearerToken(token, issued.plus(lifetime).minus(margin), withCredentials);
    }

    /** The server's issue time, unless it is missing, unparseable or ahead of our clock (skew). */
    private Instant issuedAt(String text) {
        Instant now = clock.instant();
        if (text.isEmpty()) {
            return now;
        }
        try {
            Instant issued = Instant.parse(text);
            return issued.isAfter(now) ? now : issued;
        } catch (DateTimeParseException e) {
            return now;
        }
    }

    private Optional<Credentials> credentials(String registry) {
        return credentialsByRegistry.computeIfAbsent(registry, credentialSource);
    }

    private static String basic(Credentials c) {
        String pair = c.username() + ":" + c.password();
        return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
    }

    private static String form(List<Map.Entry<String, String>> params) {
        return params.stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }

    static String where(String registry, String repository) {
        return repository == null ? registry : registry + "/" + repository;
    }
}
