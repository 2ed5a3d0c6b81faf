package dev.jcontainers.api;

/** HTTP 401 or 403: credentials missing, wrong, or without access to the repository. */
public final class RegistryAuthException extends RegistryException {
    public RegistryAuthException(String registry, int status, String message) {
        super(registry, status, message);
    }
}
