package dev.jcontainers.api;

/** A mount into the container: a host path, a named volume, or a tmpfs. */
public sealed interface MountSpec {
    String target();

    /** A host path; {@code propagation} null is Docker's default, {@link BindPropagation#RPRIVATE}. */
    record Bind(String source, String target, boolean readOnly, BindPropagation propagation) implements MountSpec {
        public Bind {
            propagation = propagation == null ? BindPropagation.RPRIVATE : propagation;
        }

        public Bind(String source, String target, boolean readOnly) {
            this(source, target, readOnly, BindPropagation.RPRIVATE);
        }
    }

    /** {@code name} null makes an anonymous volume. */
    record Volume(String name, String target, boolean readOnly) implements MountSpec {
    }

    /** {@code size} null means the kernel's default (half of RAM); {@code mode} null means 1777. */
    record Tmpfs(String target, DataSize size, Integer mode) implements MountSpec {
    }
}
