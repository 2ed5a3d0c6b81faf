package dev.jcontainers.api;

/** A manifest, index, config or other document that cannot be parsed or breaks its specification. */
public final class MalformedContentException extends ContainerException {
    public MalformedContentException(String message) {
        super(message);
    }

    public MalformedContentException(String message, Throwable cause) {
        super(message, cause);
    }
}
