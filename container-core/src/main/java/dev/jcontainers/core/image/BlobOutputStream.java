package dev.jcontainers.core.image;

import dev.jcontainers.oci.store.BlobWriter;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;

/** An {@link OutputStream} into a store {@link BlobWriter}, for producers that write streams (the packer). */
final class BlobOutputStream extends OutputStream {
    private final BlobWriter writer;

    BlobOutputStream(BlobWriter writer) {
        this.writer = writer;
    }

    @Override
    public void write(int b) throws IOException {
        writer.write(ByteBuffer.wrap(new byte[] {(byte) b}));
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        writer.write(ByteBuffer.wrap(bytes, offset, length));
    }

    /** Leaves the writer open: the caller commits it. */
    @Override
    public void close() {
    }
}
