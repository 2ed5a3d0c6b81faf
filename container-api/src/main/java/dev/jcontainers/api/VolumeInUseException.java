package dev.jcontainers.api;

/** Removing the volume was refused because a container still references it; remove that first, or force. */
public final class VolumeInUseException extends ContainerException {
    public VolumeInUseException(String message) {
        super(message);
    }
}
