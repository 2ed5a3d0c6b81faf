package dev.jcontainers.oci.archive;

import dev.jcontainers.api.MalformedContentException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** An unpacked archive or OCI layout directory; no name, and no symlink inside it, may lead out of it. */
final class DirectorySource implements ArchiveSource {
    private final Path root;

    DirectorySource(Path root) throws IOException {
        this.root = root.toRealPath();
    }

    private Path resolve(String name) {
        Path path = root.resolve(ArchivePaths.normalize(name));
        if (!Files.exists(path)) {
            return null;
        }
        try {
            if (!path.toRealPath().startsWith(root)) {
                throw new MalformedContentException("\"" + name + "\" in " + root + " is a link leading out of it");
            }
        } catch (IOException e) {
            return null;
        }
        return Files.isRegularFile(path) ? path : null;
    }

    @Override
    public boolean exists(String name) {
        return resolve(name) != null;
    }

    @Override
    public InputStream open(String name) throws IOException {
        Path path = resolve(name);
        if (path == null) {
            throw ArchiveSource.missing(name);
        }
        return Files.newInputStream(path);
    }

    @Override
    public long size(String name) {
        Path path = resolve(name);
        if (path == null) {
            throw ArchiveSource.missing(name);
        }
        try {
            return Files.size(path);
        } catch (IOException e) {
            throw new MalformedContentException("cannot read " + path + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
    }
}
