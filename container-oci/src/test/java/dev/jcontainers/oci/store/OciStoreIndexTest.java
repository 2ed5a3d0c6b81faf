package dev.jcontainers.oci.store;

import dev.jcontainers.api.MalformedContentException;
import dev.jcontainers.api.StorageException;
import dev.jcontainers.oci.image.Descriptor;
import dev.jcontainers.oci.image.Digest;
import dev.jcontainers.oci.image.OciJson;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OciStoreIndexTest {
    private static final String BUSYBOX = "127.0.0.1:5000/busybox:1.36";
    private static final String NGINX = "docker.io/library/nginx:latest";

    @TempDir
    Path root;

    private final TinyImage one = TinyImage.withFile("one");
    private final TinyImage two = TinyImage.withFile("two");

    @Test
    void tagNamesAnImageInIndexJson() throws Exception {
        OciStore store = OciStore.open(root);
        Descriptor manifest = one.storeAs(store, BUSYBOX);

        assertThat(store.resolve(BUSYBOX)).hasValueSatisfying(d -> {
            assertThat(d.digest()).isEqualTo(manifest.digest());
            assertThat(d.annotation(Descriptor.ANNOTATION_REF_NAME)).isEqualTo(BUSYBOX);
        });
        assertThat(store.resolve(NGINX)).isEmpty();
        assertThat(OciJson.parseIndex(Files.readAllBytes(root.resolve("index.json"))).manifests())
                .isEqualTo(store.entries());
        assertThat(OciStore.open(root).resolve(BUSYBOX)).isPresent();
    }

    @Test
    void retaggingMovesTheNameAndLeavesTheOldImageDangling() {
        OciStore store = OciStore.open(root);
        one.storeAs(store, BUSYBOX);
        two.storeAs(store, BUSYBOX);

        assertThat(store.resolve(BUSYBOX).orElseThrow().digest()).isEqualTo(two.manifestDigest().toString());
        assertThat(store.entries()).hasSize(2);
        assertThat(dangling(store)).containsExactly(one.manifestDigest());
    }

    @Test
    void retaggingLeavesNoDanglingEntryWhenAnotherNameKeepsTheImage() {
        OciStore store = OciStore.open(root);
        one.storeAs(store, BUSYBOX);
        store.tag(NGINX, one.manifestDescriptor());
        two.storeAs(store, BUSYBOX);

        assertThat(dangling(store)).isEmpty();
        assertThat(store.namesOf(one.manifestDigest())).containsExactly(NGINX);
        assertThat(store.namesOf(two.manifestDigest())).containsExactly(BUSYBOX);
    }

    @Test
    void taggingTheSameImageTwiceIsIdempotent() throws Exception {
        OciStore store = OciStore.open(root);
        one.storeAs(store, BUSYBOX);
        byte[] before = Files.readAllBytes(root.resolve("index.json"));

        store.tag(BUSYBOX, one.manifestDescriptor());

        assertThat(Files.readAllBytes(root.resolve("index.json"))).isEqualTo(before);
    }

    @Test
    void namingADanglingImageReplacesItsDanglingEntry() {
        OciStore store = OciStore.open(root);
        one.storeAs(store, BUSYBOX);
        store.untag(BUSYBOX);
        assertThat(dangling(store)).containsExactly(one.manifestDigest());

        store.tag(NGINX, one.manifestDescriptor());

        assertThat(store.entries()).hasSize(1);
        assertThat(dangling(store)).isEmpty();
    }

    @Test
    void tagKeepsTheDescriptorsOtherAnnotations() {
        OciStore store = OciStore.open(root);
        one.storeAs(store, BUSYBOX);
        Descriptor annotated = one.manifestDescriptor().withAnnotations(Map.of("org.example.note", "kept"));

        store.tag(NGINX, annotated);

        assertThat(store.resolve(NGINX).orElseThrow().annotations())
                .containsEntry("org.example.note", "kept")
                .containsEntry(Descriptor.ANNOTATION_REF_NAME, NGINX);
    }

    @Test
    void untagRemovesOnlyTheName() {
        OciStore store = OciStore.open(root);
        one.storeAs(store, BUSYBOX);
        store.tag(NGINX, one.manifestDescriptor());

        assertThat(store.untag(BUSYBOX)).isTrue();
        assertThat(store.untag(BUSYBOX)).isFalse();
        assertThat(store.entries()).hasSize(1);
        assertThat(store.resolve(NGINX)).isPresent();

        assertThat(store.untag(NGINX)).isTrue();
        assertThat(dangling(store)).containsExactly(one.manifestDigest());
    }

    @Test
    void removeImageDropsEveryEntryWithThatDigest() {
        OciStore store = OciStore.open(root);
        one.storeAs(store, BUSYBOX);
        store.tag(NGINX, one.manifestDescriptor());
        two.storeAs(store, "127.0.0.1:5000/two:1");

        store.removeImage(one.manifestDigest());

        assertThat(store.entries()).extracting(Descriptor::digest).containsExactly(two.manifestDigest().toString());
        assertThat(store.has(one.manifestDigest())).as("blobs stay until gc").isTrue();
    }

    @Test
    void removeDanglingPrunesUnnamedEntriesOnly() {
        OciStore store = OciStore.open(root);
        one.storeAs(store, BUSYBOX);
        two.storeAs(store, BUSYBOX);

        assertThat(store.removeDangling()).containsExactly(one.manifestDigest());
        assertThat(store.entries()).hasSize(1);
        assertThat(store.removeDangling()).isEmpty();
    }

    @Test
    void refusesToTagAManifestThatIsNotStored() {
        OciStore store = OciStore.open(root);

        assertThatThrownBy(() -> store.tag(BUSYBOX, one.manifestDescriptor()))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining(one.manifestDigest().toString());
        assertThatThrownBy(() -> store.tag(" ", one.manifestDescriptor()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(store.entries()).isEmpty();
    }

    @Test
    void corruptIndexJsonIsReportedWithItsPath() throws Exception {
        OciStore store = OciStore.open(root);
        Path index = store.root().resolve("index.json");
        Files.writeString(index, "{\"schemaVersion\":2,\"manifests\":[{\"digest\":\"sha256:nope\"");

        assertThatThrownBy(store::entries).isInstanceOf(MalformedContentException.class)
                .hasMessageContaining(index.toString());
        assertThatThrownBy(() -> store.untag(BUSYBOX)).isInstanceOf(MalformedContentException.class);
        assertThat(Files.readString(index)).endsWith("\"sha256:nope\"");
    }

    @Test
    void foreignIndexJsonIsRejected() throws Exception {
        OciStore store = OciStore.open(root);
        Path index = store.root().resolve("index.json");
        Files.write(index, one.manifest());

        assertThatThrownBy(store::entries).isInstanceOf(MalformedContentException.class)
                .hasMessageContaining(index.toString());
    }

    @Test
    void layoutOfAnotherVersionIsRejected() throws Exception {
        Files.writeString(root.resolve("oci-layout"), "{\"imageLayoutVersion\":\"2.0.0\"}");

        assertThatThrownBy(() -> OciStore.open(root)).isInstanceOf(MalformedContentException.class)
                .hasMessageContaining("oci-layout").hasMessageContaining("2.0.0");
    }

    @Test
    void layoutFileMayCarryUnknownFields() throws Exception {
        Files.writeString(root.resolve("oci-layout"), "{\"x-new\":{\"a\":[1]},\"imageLayoutVersion\":\"1.0.0\"}");

        try (OciStore store = OciStore.open(root)) {
            assertThat(store.entries()).isEmpty();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"imageLayoutVersion\":", "[]", "{\"imageLayoutVersion\":1}", "{}", ""})
    void malformedLayoutFilesAreRejected(String content) throws Exception {
        Files.writeString(root.resolve("oci-layout"), content);

        assertThatThrownBy(() -> OciStore.open(root)).isInstanceOf(MalformedContentException.class)
                .hasMessageContaining("oci-layout");
    }

    private static List<Digest> dangling(OciStore store) {
        return store.entries().stream().filter(d -> d.annotations() == null
                || !d.annotations().containsKey(Descriptor.ANNOTATION_REF_NAME)).map(Descriptor::parsedDigest).toList();
    }
}
