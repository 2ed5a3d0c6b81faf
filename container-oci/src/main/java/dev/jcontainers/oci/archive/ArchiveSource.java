package dev.jcontainers.oci.archive;

import dev.jcontainers.api.MalformedContentException;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;

/** Read access by name to the files of an image archive: a tar file or a directory. */
interface ArchiveSource extends Closeable {
    boolean exists(String name);

    /** The content of a regular file; {@link MalformedContentException} when the archive has no such file. */
    InputStream open(String name) throws IOException;

    long size(String name);

    /** Reads a small file (JSON) whole, refusing more than {@code cap} bytes. */
    default byte[] read(String name, int cap) throws IOException {
        if (size(name) > cap) {
            throw new MalformedContentException("archive entry \"" + name + "\" is larger than " + cap + " bytes");
        }
        try (InputStream in = open(name)) {
            return in.readNBytes(cap);
        }
    }

    static MalformedContentException missing(String name) {
        return new MalformedContentException("the archive has no file \"" + name + "\"");
    }
}
