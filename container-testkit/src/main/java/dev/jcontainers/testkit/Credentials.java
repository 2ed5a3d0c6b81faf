package dev.jcontainers.testkit;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** A registry user name and password. */
public record Credentials(String username, String password) {

    public Credentials {
        if (username == null || username.isEmpty() || username.contains(":")) {
            throw new IllegalArgumentException("user name must be non-empty and contain no ':'");
        }
        if (password == null) {
            throw new IllegalArgumentException("password must not be null");
        }
    }

    /** The value of an {@code Authorization: Basic ...} header. */
    public String basicAuthorization() {
        return "Basic " + Base64.getEncoder().encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /** {@code user:password}, the form skopeo's {@code --creds} takes. */
    public String colonSeparated() {
        return username + ":" + password;
    }

    @Override
    public String toString() {
        return "Credentials[" + username + ", ***]";
    }
}
