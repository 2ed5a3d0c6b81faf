package dev.jcontainers.oci.store;

import dev.jcontainers.oci.image.Descriptor;
import dev.jcontainers.oci.image.Digest;
import dev.jcontainers.oci.image.ImageIndex;
import dev.jcontainers.oci.image.MediaTypes;
import dev.jcontainers.oci.image.OciJson;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class OciStoreGcTest {
    private static final String NAME = "127.0.0.1:5000/busybox:1.36";
    /** Not the common pool: on two cores it has one thread, which a blocked gc would hold. */
    private static final Executor OWN_THREAD = task -> Thread.ofPlatform().daemon().start(task);

    @TempDir
    Path root;

    private final TinyImage kept = TinyImage.withFile("kept");
    private final TinyImage dropped = TinyImage.withFile("dropped");

    @Test
    void removesExactlyTheUnreachableBlobs() {
        OciStore store = OciStore.open(root);
        kept.storeAs(store, NAME);
        dropped.storeAs(store, "127.0.0.1:5000/old:1");
        Digest orphan = store.put("orphan".getBytes(StandardCharsets.UTF_8), null);
        store.untag("127.0.0.1:5000/old:1");

        OciStore.GcResult dangling = store.gc();
        assertThat(dangling.removed()).containsExactly(orphan);
        assertThat(dangling.reclaimedBytes()).isEqualTo(6);

        store.removeDangling();
        OciStore.GcResult result = store.gc();

        assertThat(result.removed()).containsExactlyInAnyOrderElementsOf(dropped.blobs());
        assertThat(result.reclaimedBytes())
                .isEqualTo(dropped.layer().length + dropped.config().length + dropped.manifest().length);
        assertThat(kept.blobs()).allMatch(store::has);
        assertThat(store.gc().removed()).isEmpty();
    }

    @Test
    void followsNestedIndexesAndToleratesMissingBlobs() throws Exception {
        OciStore store = OciStore.open(root);
        kept.storeAs(store, "tmp:1");
        Descriptor missingManifest = Descriptor.of(MediaTypes.OCI_MANIFEST, Digest.sha256(new byte[] {9}), 1);
        byte[] index = OciJson.write(new ImageIndex(2, MediaTypes.OCI_INDEX,
                List.of(kept.manifestDescriptor(), missingManifest), null));
        Digest indexDigest = store.put(index, null);
        store.tag(NAME, Descriptor.of(MediaTypes.OCI_INDEX, indexDigest, index.length));
        store.untag("tmp:1");
        store.removeDangling();

        OciStore.GcResult result = store.gc();

        assertThat(result.removed()).isEmpty();
        assertThat(kept.blobs()).allMatch(store::has);
        assertThat(store.verify().missing()).containsExactly(missingManifest.parsedDigest());
    }

    @Test
    void waitsForAnOpenLeaseInThisJvm() throws Exception {
        OciStore store = OciStore.open(root);
        CompletableFuture<OciStore.GcResult> gc;
        Digest pulled;
        try (OciStore.Lease lease = store.lease()) {
            pulled = store.put("pulled but not yet tagged".getBytes(StandardCharsets.UTF_8), null);
            gc = CompletableFuture.supplyAsync(OciStore.open(root)::gc, OWN_THREAD);
            Thread.sleep(300);
            assertThat(gc).isNotDone();
            assertThat(store.has(pulled)).isTrue();
        }
        assertThat(gc.get(10, TimeUnit.SECONDS).removed()).containsExactly(pulled);
    }

    @Test
    void waitsForALeaseHeldByAnotherJvm(@TempDir Path logs) throws Exception {
        OciStore store = OciStore.open(root);
        Digest orphan = store.put("leased elsewhere".getBytes(StandardCharsets.UTF_8), null);
        try (ChildJvm child = ChildJvm.start(logs.resolve("child.err"), "lease", root.toString())) {
            child.awaitLine("leased");
            CompletableFuture<OciStore.GcResult> gc = CompletableFuture.supplyAsync(store::gc, OWN_THREAD);
            Thread.sleep(300);
            assertThat(gc).isNotDone();
            assertThat(store.has(orphan)).isTrue();

            child.sendLine("release");
            assertThat(gc.get(20, TimeUnit.SECONDS).removed()).containsExactly(orphan);
            assertThat(child.waitFor(20)).isZero();
        }
    }

    @Test
    void leasesNestAndCloseIdempotently() throws Exception {
        OciStore store = OciStore.open(root);
        OciStore.Lease first = store.lease();
        OciStore.Lease second = store.lease();
        first.close();
        first.close();
        CompletableFuture<OciStore.GcResult> gc = CompletableFuture.supplyAsync(store::gc, OWN_THREAD);
        Thread.sleep(200);
        assertThat(gc).isNotDone();

        CompletableFuture.runAsync(second::close, OWN_THREAD).get(5, TimeUnit.SECONDS); // another thread may close it
        assertThat(gc.get(10, TimeUnit.SECONDS).removed()).isEmpty();
    }

    @Test
    void removesStaleTempFilesButNotFreshOnes() throws Exception {
        OciStore store = OciStore.open(root);
        Path tmp = store.root().resolve("tmp");
        Path stale = Files.write(tmp.resolve("blob-crashed.partial"), new byte[100]);
        Files.setLastModifiedTime(stale, FileTime.from(Instant.now().minus(OciStore.STALE_TEMP_AGE).minusSeconds(60)));
        Path fresh = Files.write(tmp.resolve("blob-active.partial"), new byte[10]);
        Path foreign = Files.write(tmp.resolve("someone-elses"), new byte[1]);
        Files.setLastModifiedTime(foreign, FileTime.from(Instant.EPOCH));

        OciStore.GcResult result = store.gc();

        assertThat(stale).doesNotExist();
        assertThat(fresh).exists();
        assertThat(foreign).exists();
        assertThat(result.reclaimedBytes()).isEqualTo(100);
    }

    @Test
    void verifyDetectsAFlippedByte() throws Exception {
        OciStore store = OciStore.open(root);
        kept.storeAs(store, NAME);
        assertThat(store.verify()).isEqualTo(new OciStore.VerifyResult(3, List.of(), List.of()));

        Path layer = store.blobPath(kept.layerDigest());
        byte[] bytes = Files.readAllBytes(layer);
        bytes[bytes.length / 2] ^= 0x01;
        Files.write(layer, bytes);
        Files.delete(store.blobPath(kept.configDigest()));

        OciStore.VerifyResult result = store.verify();

        assertThat(result.ok()).isFalse();
        assertThat(result.checked()).isEqualTo(2);
        assertThat(result.corrupt()).containsExactly(kept.layerDigest());
        assertThat(result.missing()).containsExactly(kept.configDigest());
    }
}
