package dev.jcontainers.oci.registry;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jcontainers.api.Credentials;
import dev.jcontainers.api.MalformedContentException;
import dev.jcontainers.oci.image.OciJson;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Registry credentials from a Docker client config ({@code ~/.docker/config.json}), as {@code docker login}
 * writes them: {@code auths} entries keyed by {@code host[:port]} or by a URL such as
 * {@code https://index.docker.io/v1/}, holding {@code auth} (base64 of {@code user:password}) or
 * {@code username}/{@code password}, and possibly an {@code identitytoken}, which is returned as
 * {@link #IDENTITY_TOKEN_USER} with the token as password. Credential helpers ({@code credsStore},
 * {@code credHelpers}) run external programs and are not supported: such entries carry no secret here and
 * are skipped.
 */
final class DockerConfigCredentials {
    /** The user name Docker uses for an identity (OAuth2 refresh) token. */
    static final String IDENTITY_TOKEN_USER = "<token>";

    private final Path file;

    DockerConfigCredentials(Path file) {
        this.file = file;
    }

    /** Default location: {@code $DOCKER_CONFIG/config.json}, else {@code ~/.docker/config.json}. */
    static Path defaultFile() {
        String env = System.getenv("DOCKER_CONFIG");
        Path dir = env != null && !env.isEmpty() ? Path.of(env) : Path.of(System.getProperty("user.home"), ".docker");
        return dir.resolve("config.json");
    }

    /** Reads the file on every call; an absent file means no credentials. */
    Optional<Credentials> lookup(String registry) {
        JsonNode auths = read().path("auths");
        String wanted = normalise(registry);
        for (Map.Entry<String, JsonNode> entry : auths.properties()) {
            if (normalise(entry.getKey()).equals(wanted)) {
                Optional<Credentials> found = credentialsOf(entry.getValue());
                if (found.isPresent()) {
                    return found;
                }
            }
        }
        return Optional.empty();
    }

    private JsonNode read() {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return OciJson.mapper().createObjectNode();
        } catch (IOException e) {
            throw new MalformedContentException("cannot read Docker config " + file + ": " + e.getMessage(), e);
        }
        try {
            JsonNode tree = OciJson.mapper().readTree(bytes);
            return tree == null ? OciJson.mapper().createObjectNode() : tree;
        } catch (IOException e) {
            throw new MalformedContentException("Docker config " + file + " is not valid JSON: " + e.getMessage(), e);
        }
    }

    private Optional<Credentials> credentialsOf(JsonNode entry) {
        String identityToken = entry.path("identitytoken").asText("");
        if (!identityToken.isEmpty()) {
            return Optional.of(new Credentials(IDENTITY_TOKEN_USER, identityToken));
        }
        String auth = entry.path("auth").asText("");
        if (!auth.isEmpty()) {
            String decoded;
            try {
                decoded = new String(Base64.getDecoder().decode(auth.trim()), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw new MalformedContentException("Docker config " + file + ": \"auth\" is not base64", e);
            }
            int colon = decoded.indexOf(':');
            if (colon < 0) {
                throw new MalformedContentException("Docker config " + file + ": \"auth\" is not user:password");
            }
            return Optional.of(new Credentials(decoded.substring(0, colon), decoded.substring(colon + 1)));
        }
        String user = entry.path("username").asText("");
        String password = entry.path("password").asText("");
        return user.isEmpty() ? Optional.empty() : Optional.of(new Credentials(user, password));
    }

    /** {@code https://index.docker.io/v1/} and {@code docker.io} name the same registry; so do case variants. */
    static String normalise(String key) {
        String k = key.toLowerCase(Locale.ROOT).trim();
        int scheme = k.indexOf("://");
        if (scheme >= 0) {
            k = k.substring(scheme + 3);
        }
        int slash = k.indexOf('/');
        if (slash >= 0) {
            k = k.substring(0, slash);
        }
        return switch (k) {
            case "index.docker.io", "registry-1.docker.io", "registry.hub.docker.com" -> RegistryEndpoint.DOCKER_HUB;
            default -> k;
        };
    }
}
