package dev.jcontainers.api;

/** No volume of that name exists in the engine's root. */
public final class VolumeNotFoundException extends ContainerException {
    public VolumeNotFoundException(String name) {
        super("No such volume: " + name);
    }
}
