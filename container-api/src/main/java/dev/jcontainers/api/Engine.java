package dev.jcontainers.api;

import java.nio.file.Path;

/** One engine over one root directory. Several engines, in one JVM or several, may share a root. */
public interface Engine extends AutoCloseable {
    Images images();

    ContainerManager containers();

    NetworkManager networks();

    VolumeManager volumes();

    Path root();

    @Override
    void close();
}
