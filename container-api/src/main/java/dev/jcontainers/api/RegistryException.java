package dev.jcontainers.api;

/** A registry answered with an error, or could not be reached. {@link #status()} is 0 when there was no HTTP answer. */
public class RegistryException extends ContainerException {
    private final String registry;
    private final int status;

    public RegistryException(String registry, int status, String message) {
        super(message);
        this.registry = registry;
        this.status = status;
    }

    public RegistryException(String registry, int status, String message, Throwable cause) {
        super(message, cause);
        this.registry = registry;
        this.status = status;
    }

    public String registry() {
        return registry;
    }

    public int status() {
        return status;
    }
}
