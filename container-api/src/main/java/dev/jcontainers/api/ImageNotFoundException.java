package dev.jcontainers.api;

/** The image, tag or digest does not exist: in the registry (HTTP 404) or in the local store. */
public final class ImageNotFoundException extends ContainerException {
    public ImageNotFoundException(String message) {
        super(message);
    }

    public ImageNotFoundException(String message, Throwable cause) {
        super(message, cause);
    }
}
