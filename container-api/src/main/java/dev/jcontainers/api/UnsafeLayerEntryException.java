package dev.jcontainers.api;

/**
 * A layer archive entry that would reach outside the layer directory or is forbidden there: a {@code ..}
 * component, a path through a symlink, a hardlink to something outside the layer, a device node where the
 * caller forbids them, or an entry that would replace a directory. The whole layer is rejected.
 */
public final class UnsafeLayerEntryException extends ContainerException {
    private final String entryName;

    public UnsafeLayerEntryException(String entryName, String reason) {
        super("unsafe layer entry \"" + entryName + "\": " + reason);
        this.entryName = entryName;
    }

    /** The entry's name as the archive spells it. */
    public String entryName() {
        return entryName;
    }
}
