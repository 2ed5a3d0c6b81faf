package dev.jcontainers.linux.capability;

/** A capability name that is neither a Linux capability nor {@code ALL}. */
public final class UnknownCapabilityException extends IllegalArgumentException {
    private final String name;

    public UnknownCapabilityException(String name) {
        super("unknown capability: " + name);
        this.name = name;
    }

    public String name() {
        return name;
    }
}
