package dev.jcontainers.api;

/**
 * A copy into or out of a container refused because a path would leave the tree it belongs to: an archive
 * entry with a {@code ..} component, or a path through a magic link such as {@code /proc/self/root}.
 * (Ordinary symlinks are followed, but only ever inside the container's root.)
 */
public final class UnsafePathException extends ContainerException {
    public UnsafePathException(String message) {
        super(message);
    }
}
