package dev.jcontainers.api;

/** A mount into the container: a host path, a named volume, or a tmpfs. */
public sealed interface MountSpec {
    String target();

    record Bind(String source, String target, boolean readOnly) implements MountSpec {
    }

    /** {@code name} null makes an anonymous volume. */
    record Volume(String name, String target, boolean readOnly) implements MountSpec {
    }

    /** {@code size} null means the kernel's default (half of RAM); {@code mode} null means 1777. */
    record Tmpfs(String target, DataSize size, Integer mode) implements MountSpec {
    }
}
