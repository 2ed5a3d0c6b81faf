package dev.jcontainers.oci.store;

import dev.jcontainers.api.DigestMismatchException;
import dev.jcontainers.api.StorageException;
import dev.jcontainers.oci.image.Digest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BlobWriterTest {
    @TempDir
    Path root;

    private final byte[] blob = randomBytes(200_000);
    private final Digest digest = Digest.sha256(blob);

    @Test
    void streamedChunksArePublishedOnlyOnCommit() throws Exception {
        OciStore store = OciStore.open(root);
        try (BlobWriter writer = store.newBlobWriter(digest, blob.length)) {
            for (int off = 0; off < blob.length; off += 8192) {
                writer.write(ByteBuffer.wrap(blob, off, Math.min(8192, blob.length - off)));
                assertThat(store.has(digest)).isFalse();
            }
            assertThat(writer.written()).isEqualTo(blob.length);

            assertThat(writer.commit()).isEqualTo(digest);
        }
        assertThat(store.read(digest)).isEqualTo(blob);
        assertThat(StoreFiles.tempFiles(store)).isEmpty();
    }

    @Test
    void resumesAfterADroppedConnectionFromWritten() throws Exception {
        OciStore store = OciStore.open(root);
        try (BlobWriter writer = store.newBlobWriter(digest, blob.length)) {
            writer.write(ByteBuffer.wrap(blob, 0, 70_000));
            // connection drops; the client asks for "Range: bytes=<written>-"
            long resumeAt = writer.written();
            writer.write(ByteBuffer.wrap(blob, (int) resumeAt, blob.length - (int) resumeAt));

            assertThat(writer.commit()).isEqualTo(digest);
        }
        assertThat(store.read(digest)).isEqualTo(blob);
    }

    @Test
    void resetStartsOverWhenTheServerIgnoresTheRange() throws Exception {
        OciStore store = OciStore.open(root);
        try (BlobWriter writer = store.newBlobWriter(digest, blob.length)) {
            writer.write(ByteBuffer.wrap(blob, 0, 50_000));
            writer.reset();
            assertThat(writer.written()).isZero();
            writer.write(ByteBuffer.wrap(blob));

            assertThat(writer.commit()).isEqualTo(digest);
        }
        assertThat(store.read(digest)).isEqualTo(blob);
    }

    @Test
    void writeConsumesTheBufferAndHashesOnlyItsRemainingBytes() throws Exception {
        OciStore store = OciStore.open(root);
        ByteBuffer direct = ByteBuffer.allocateDirect(blob.length + 10);
        direct.put(new byte[10]).put(blob).flip().position(10);
        try (BlobWriter writer = store.newBlobWriter(digest, blob.length)) {
            writer.write(direct);
            assertThat(direct.hasRemaining()).isFalse();
            assertThat(writer.commit()).isEqualTo(digest);
        }
    }

    @Test
    void wrongBytesThrowAndLeaveNothingBehind() throws Exception {
        OciStore store = OciStore.open(root);
        List<String> before = StoreFiles.tree(root);
        byte[] corrupted = blob.clone();
        corrupted[1234] ^= 1;

        try (BlobWriter writer = store.newBlobWriter(digest, blob.length)) {
            writer.write(ByteBuffer.wrap(corrupted));
            assertThatThrownBy(writer::commit).isInstanceOf(DigestMismatchException.class)
                    .hasMessageContaining(digest.toString())
                    .hasMessageContaining(Digest.sha256(corrupted).toString());
        }
        assertThat(StoreFiles.tree(root)).isEqualTo(before);
    }

    @Test
    void wrongSizeIsAMismatchEvenBeforeHashing() throws Exception {
        OciStore store = OciStore.open(root);
        List<String> before = StoreFiles.tree(root);
        try (BlobWriter writer = store.newBlobWriter(digest, blob.length)) {
            writer.write(ByteBuffer.wrap(blob, 0, blob.length - 1));
            assertThatThrownBy(writer::commit).isInstanceOf(DigestMismatchException.class)
                    .hasMessageContaining("expected " + blob.length);
        }
        assertThat(StoreFiles.tree(root)).isEqualTo(before);
    }

    @Test
    void closeWithoutCommitDiscardsTheTempFile() throws Exception {
        OciStore store = OciStore.open(root);
        BlobWriter writer = store.newBlobWriter(digest, blob.length);
        writer.write(ByteBuffer.wrap(blob, 0, 1000));
        assertThat(StoreFiles.tempFiles(store)).hasSize(1);

        writer.close();
        writer.close();

        assertThat(StoreFiles.tempFiles(store)).isEmpty();
        assertThat(store.has(digest)).isFalse();
        assertThatThrownBy(() -> writer.write(ByteBuffer.wrap(blob))).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void committingAnAlreadyStoredBlobDedupes() throws Exception {
        OciStore store = OciStore.open(root);
        store.put(blob, digest);
        long inode = (long) Files.getAttribute(store.blobPath(digest), "unix:ino");

        try (BlobWriter writer = store.newBlobWriter(digest, blob.length)) {
            writer.write(ByteBuffer.wrap(blob));
            assertThat(writer.commit()).isEqualTo(digest);
        }

        assertThat((long) Files.getAttribute(store.blobPath(digest), "unix:ino")).isEqualTo(inode);
        assertThat(StoreFiles.tempFiles(store)).isEmpty();
    }

    @Test
    void unknownDigestAndSizeNameTheBlobBySha256() throws Exception {
        OciStore store = OciStore.open(root);
        try (BlobWriter writer = store.newBlobWriter(null, -1)) {
            writer.write(ByteBuffer.wrap(blob));
            assertThat(writer.commit()).isEqualTo(digest);
        }
        assertThat(store.read(digest)).isEqualTo(blob);
    }

    @Test
    void sha512DigestsAreVerifiedAndStoredUnderTheirAlgorithm() throws Exception {
        OciStore store = OciStore.open(root);
        Digest sha512 = Digest.parse("sha512:" + java.util.HexFormat.of().formatHex(
                java.security.MessageDigest.getInstance("SHA-512").digest(blob)));

        assertThat(store.put(blob, sha512)).isEqualTo(sha512);
        assertThat(store.blobPath(sha512)).isEqualTo(store.root().resolve("blobs/sha512/" + sha512.hex()));
        assertThat(store.read(sha512)).isEqualTo(blob);
    }

    @Test
    void diskFailuresBecomeStorageExceptionsNamingThePath() throws Exception {
        OciStore store = OciStore.open(root);
        Path tmp = store.root().resolve("tmp");
        Files.delete(tmp);
        Files.writeString(tmp, "not a directory");

        assertThatThrownBy(() -> store.newBlobWriter(digest, blob.length))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining(tmp.toString());
        assertThatThrownBy(() -> store.put(blob, digest)).isInstanceOf(StorageException.class);
        assertThat(store.has(digest)).isFalse();
    }

    private static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        new Random(7).nextBytes(b);
        return Arrays.copyOf(b, n);
    }
}
