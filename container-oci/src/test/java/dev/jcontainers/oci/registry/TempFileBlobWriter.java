package dev.jcontainers.oci.registry;

import dev.jcontainers.api.DigestMismatchException;
import dev.jcontainers.oci.image.Digest;
import dev.jcontainers.oci.store.BlobWriter;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;

/** A test {@link BlobWriter}: a temp file plus a running SHA-256, verified against the expected digest. */
class TempFileBlobWriter implements BlobWriter {
    private final Path file;
    private final Digest expected;
    private final FileChannel channel;
    private MessageDigest hash = Digest.newSha256();
    private long written;
    private int resets;

    TempFileBlobWriter(Path dir, Digest expected) throws IOException {
        this.file = Files.createTempFile(dir, "blob", ".part");
        this.expected = expected;
        this.channel = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
    }

    @Override
    public void write(ByteBuffer bytes) throws IOException {
        hash.update(bytes.duplicate());
        written += bytes.remaining();
        while (bytes.hasRemaining()) {
            channel.write(bytes);
        }
    }

    @Override
    public long written() {
        return written;
    }

    @Override
    public void reset() throws IOException {
        channel.truncate(0);
        channel.position(0);
        hash = Digest.newSha256();
        written = 0;
        resets++;
    }

    int resets() {
        return resets;
    }

    byte[] content() throws IOException {
        return Files.readAllBytes(file);
    }

    @Override
    public Digest commit() throws IOException {
        Digest actual = Digest.ofSha256(hash.digest());
        if (!actual.equals(expected)) {
            throw new DigestMismatchException("blob", expected.toString(), actual.toString());
        }
        return actual;
    }

    @Override
    public void close() {
        try {
            channel.close();
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
