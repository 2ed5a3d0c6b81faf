package dev.jcontainers.oci.layer;

import dev.jcontainers.oci.image.Digest;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.security.MessageDigest;

/** Hashes and counts every byte written through it, so a packed layer's digests need no second read. */
final class HashingOutputStream extends FilterOutputStream {
    private final MessageDigest sha256 = Digest.newSha256();
    private final boolean closeTarget;
    private long count;

    /** @param closeTarget false to leave the caller's stream open when this one closes */
    HashingOutputStream(OutputStream out, boolean closeTarget) {
        super(out);
        this.closeTarget = closeTarget;
    }

    @Override
    public void write(int b) throws IOException {
        out.write(b);
        sha256.update((byte) b);
        count++;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
        sha256.update(b, off, len);
        count += len;
    }

    @Override
    public void close() throws IOException {
        if (closeTarget) {
            out.close();
        } else {
            out.flush();
        }
    }

    long count() {
        return count;
    }

    Digest digest() {
        return Digest.ofSha256(sha256.digest());
    }
}
