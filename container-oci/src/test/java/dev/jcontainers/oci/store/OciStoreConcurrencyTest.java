package dev.jcontainers.oci.store;

import dev.jcontainers.oci.image.Descriptor;
import dev.jcontainers.oci.image.OciJson;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

class OciStoreConcurrencyTest {
    private static final int PER_WRITER = 25;

    @TempDir
    Path root;

    @Test
    void threadsWritingTheSameBlobsAndTaggingLoseNothing() throws Exception {
        OciStore store = OciStore.open(root);
        TinyImage image = TinyImage.withFile("contended");
        int threads = 4;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                String prefix = "127.0.0.1:5000/thread" + t + ":";
                // each thread its own store instance: the locks must be per root, not per instance
                OciStore own = t % 2 == 0 ? store : OciStore.open(root);
                done.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < PER_WRITER; i++) {
                        image.storeAs(own, prefix + i);
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }

        assertAllNamesPresent(store, IntStream.range(0, threads).mapToObj(t -> "127.0.0.1:5000/thread" + t + ":"));
        assertThat(store.verify().ok()).isTrue();
        assertThat(store.verify().checked()).isEqualTo(3);
        assertThat(StoreFiles.tempFiles(store)).isEmpty();
    }

    @Test
    void twoJvmsTaggingConcurrentlyLoseNoUpdate(@TempDir Path logs) throws Exception {
        OciStore store = OciStore.open(root);
        TinyImage image = TinyImage.withFile("two-jvms");
        Path childLog = logs.resolve("child.err");
        try (ChildJvm child = ChildJvm.start(childLog, "tag", root.toString(), "docker.io/library/child:", 
                String.valueOf(PER_WRITER), "two-jvms")) {
            child.awaitLine("ready");
            for (int i = 0; i < PER_WRITER; i++) {
                image.storeAs(store, "docker.io/library/parent:" + i);
            }
            assertThat(child.waitFor(60)).as("child exit code; stderr: %s", Files.readString(childLog)).isZero();
        }

        assertAllNamesPresent(store, java.util.stream.Stream.of("docker.io/library/parent:", "docker.io/library/child:"));
        assertThat(store.verify().ok()).isTrue();
        assertThat(StoreFiles.tempFiles(store)).isEmpty();
    }

    private void assertAllNamesPresent(OciStore store, java.util.stream.Stream<String> prefixes) throws Exception {
        List<String> expected = prefixes.flatMap(p -> IntStream.range(0, PER_WRITER).mapToObj(i -> p + i)).toList();
        List<Descriptor> onDisk = OciJson.parseIndex(Files.readAllBytes(root.resolve("index.json"))).manifests();
        assertThat(onDisk).extracting(IndexEntries::name).containsExactlyInAnyOrderElementsOf(expected);
    }
}
