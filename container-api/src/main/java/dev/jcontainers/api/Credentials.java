package dev.jcontainers.api;

import java.util.Objects;

/** A user name and password (or an identity token, with user name {@code <token>}) for one registry. */
public record Credentials(String username, String password) {
    public Credentials {
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(password, "password");
    }

    @Override
    public String toString() {
        return "Credentials[username=" + username + ", password=***]";
    }
}
