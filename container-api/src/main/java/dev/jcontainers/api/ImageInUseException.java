package dev.jcontainers.api;

/** Removing the image was refused because something still references it; retry with force. */
public final class ImageInUseException extends ContainerException {
    public ImageInUseException(String message) {
        super(message);
    }
}
