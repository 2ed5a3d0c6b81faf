package dev.jcontainers.api;

/** An image reference that does not follow {@code [registry/][namespace/]repository[:tag|@digest]}. */
public final class InvalidReferenceException extends ContainerException {
    private final String reference;

    public InvalidReferenceException(String reference, String reason) {
        super("invalid image reference \"" + reference + "\": " + reason);
        this.reference = reference;
    }

    public String reference() {
        return reference;
    }
}
