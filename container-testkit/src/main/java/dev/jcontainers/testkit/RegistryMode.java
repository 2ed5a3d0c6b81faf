package dev.jcontainers.testkit;

/** How a {@link RegistryServer} authenticates clients. */
public enum RegistryMode {
    /** Plain HTTP, anonymous push and pull. */
    PLAIN,
    /** HTTP Basic against an htpasswd file (bcrypt entries). */
    BASIC,
    /** Bearer tokens from a token server run inside the test JVM; the registry serves HTTPS. */
    TOKEN
}
