package dev.jcontainers.linux.namespace;

import java.nio.file.Path;
import java.util.Objects;

/**
 * How a container gets one namespace: a new private one, the host's (the launcher's own), or an existing
 * one joined through its {@code /proc/<pid>/ns/<name>} file or a bind mount of it.
 */
public sealed interface NamespaceMode {
    NamespaceMode PRIVATE = new Private();
    NamespaceMode HOST = new Host();

    static NamespaceMode join(Path path) {
        return new Join(path);
    }

    record Private() implements NamespaceMode {
    }

    record Host() implements NamespaceMode {
    }

    record Join(Path path) implements NamespaceMode {
        public Join {
            Objects.requireNonNull(path, "path");
            if (!path.isAbsolute()) {
                throw new IllegalArgumentException("namespace path must be absolute: " + path);
            }
        }
    }
}
