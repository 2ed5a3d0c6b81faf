package dev.jcontainers.oci.store;

import dev.jcontainers.api.DigestMismatchException;
import dev.jcontainers.api.StorageException;
import dev.jcontainers.oci.image.Digest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OciStoreBlobTest {
    @TempDir
    Path root;

    @Test
    void createsAnOciLayout() throws Exception {
        OciStore.open(root);

        assertThat(Files.readString(root.resolve("oci-layout"))).isEqualTo("{\"imageLayoutVersion\":\"1.0.0\"}");
        assertThat(Files.readString(root.resolve("index.json")))
                .contains("\"schemaVersion\":2", "\"mediaType\":\"application/vnd.oci.image.index.v1+json\"");
        assertThat(root.resolve("blobs/sha256")).isDirectory();
    }

    @Test
    void putThenReadRoundTrips() throws Exception {
        OciStore store = OciStore.open(root);
        byte[] content = "hello blob".getBytes(StandardCharsets.UTF_8);

        Digest digest = store.put(content, null);

        assertThat(digest).isEqualTo(Digest.sha256(content));
        assertThat(store.has(digest)).isTrue();
        assertThat(store.size(digest)).contains((long) content.length);
        assertThat(store.blobPath(digest)).isEqualTo(root.toRealPath().resolve("blobs/sha256/" + digest.hex()));
        assertThat(store.read(digest)).isEqualTo(content);
        try (InputStream in = store.open(digest)) {
            assertThat(in.readAllBytes()).isEqualTo(content);
        }
        assertThat(StoreFiles.tempFiles(store)).isEmpty();
    }

    @Test
    void absentBlobIsReportedNotInvented() {
        OciStore store = OciStore.open(root);
        Digest absent = Digest.sha256(new byte[] {1});

        assertThat(store.has(absent)).isFalse();
        assertThat(store.size(absent)).isEmpty();
        assertThatThrownBy(() -> store.open(absent)).isInstanceOf(StorageException.class)
                .hasMessageContaining(absent.toString());
        assertThatThrownBy(() -> store.read(absent)).isInstanceOf(StorageException.class);
    }

    @Test
    void mismatchingPutLeavesTheStoreExactlyAsBefore() {
        OciStore store = OciStore.open(root);
        store.put("already here".getBytes(StandardCharsets.UTF_8), null);
        List<String> before = StoreFiles.tree(root);
        Digest claimed = Digest.sha256("something else".getBytes(StandardCharsets.UTF_8));

        assertThatThrownBy(() -> store.put("tampered".getBytes(StandardCharsets.UTF_8), claimed))
                .isInstanceOf(DigestMismatchException.class)
                .hasMessageContaining(claimed.toString());

        assertThat(StoreFiles.tree(root)).isEqualTo(before);
    }

    @Test
    void identicalBlobsOfTwoImagesAreStoredOnce() throws Exception {
        OciStore store = OciStore.open(root);
        TinyImage a = TinyImage.withFile("shared");
        a.storeAs(store, "127.0.0.1:5000/a:1");
        // Same layer, different config (other history) hence a different image.
        byte[] otherConfig = new String(a.config(), StandardCharsets.UTF_8).replace("TinyImage", "Other")
                .getBytes(StandardCharsets.UTF_8);
        store.put(a.layer(), a.layerDigest());
        store.put(otherConfig, null);

        try (var blobs = Files.list(root.resolve("blobs/sha256"))) {
            assertThat(blobs.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder(a.layerDigest().hex(), a.configDigest().hex(),
                            a.manifestDigest().hex(), Digest.sha256(otherConfig).hex());
        }
    }

    @Test
    void readRefusesACorruptedBlob() throws Exception {
        OciStore store = OciStore.open(root);
        Digest digest = store.put("precious".getBytes(StandardCharsets.UTF_8), null);
        Files.writeString(store.blobPath(digest), "Precious");

        assertThatThrownBy(() -> store.read(digest)).isInstanceOf(DigestMismatchException.class)
                .hasMessageContaining(store.blobPath(digest).toString());
    }

    @Test
    void reopeningKeepsContentAndTwoInstancesShareARoot() {
        OciStore first = OciStore.open(root);
        Digest digest = first.put(new byte[] {42}, null);
        OciStore second = OciStore.open(root.resolve("."));

        assertThat(second.read(digest)).containsExactly(42);
        assertThat(second.root()).isEqualTo(first.root());
    }
}
