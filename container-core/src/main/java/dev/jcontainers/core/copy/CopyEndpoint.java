package dev.jcontainers.core.copy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Optional;

/** One side of a copy: the host's filesystem or a container's. Paths are the side's own. */
public interface CopyEndpoint {
    /** Whether {@code path} is a directory; empty when it does not exist. */
    Optional<Boolean> isDirectory(String path, boolean followLast);

    /** Writes {@code path} as a tar stream, its top entry named {@code rebase} (empty: only the contents). */
    void archive(String path, boolean followLast, String rebase, OutputStream out) throws IOException;

    /** Extracts a tar stream into the existing directory {@code dir}, confined to it or to the side's root. */
    void extract(String dir, InputStream tar, Ownership owner) throws IOException;

    /** How messages name {@code path} ({@code container 0123abcd:/etc} or the host path). */
    String describe(String path);
}
