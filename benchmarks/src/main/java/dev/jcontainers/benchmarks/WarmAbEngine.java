package dev.jcontainers.benchmarks;

import dev.jcontainers.api.Container;
import dev.jcontainers.api.DataSize;
import dev.jcontainers.api.EngineOptions;
import dev.jcontainers.api.NetworkMode;
import dev.jcontainers.api.PullOptions;
import dev.jcontainers.core.LocalEngine;
import dev.jcontainers.testkit.FixtureImage;
import dev.jcontainers.testkit.RegistryServer;
import dev.jcontainers.testkit.Skopeo;
import dev.jcontainers.testkit.TestImages;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * One engine of one build for {@link WarmAb}: loaded by a class loader of its own over that build's benchmarks jar,
 * it runs RunBenchmark's API contender (create, start, wait, remove of {@code /bin/true} with a 64 MiB limit and
 * {@code --network none}) and answers through JDK types only. Source-compatible with older builds on purpose: it uses
 * the public API and the testkit; the runc contenders, which build B alone runs, are RunBenchmark's.
 */
public final class WarmAbEngine implements Supplier<double[]>, AutoCloseable {
    private static final DataSize MEMORY = DataSize.ofMegabytes(64);
    private static RegistryServer registry;
    private static Path fixtures;

    private final LocalEngine engine;
    private final String image;
    private final Path base;
    private Path layerDir;
    private int overlayRuns;

    /** Starts a registry on 127.0.0.1 holding the busybox fixture; returns the image reference. */
    public static String publish() throws Exception {
        fixtures = Files.createTempDirectory("jc-warm-ab-fixture-");
        registry = RegistryServer.plain();
        FixtureImage fixture = new TestImages(fixtures).singleLayer("busybox");
        Skopeo.push(fixture, registry, "bench/busybox:1");
        return registry.host() + "/bench/busybox:1";
    }

    public static void unpublish() throws Exception {
        registry.close();
        RunBenchmark.deleteTree(fixtures);
    }

    public WarmAbEngine(String base, String image) {
        this.base = Path.of(base);
        this.image = image;
        this.engine = new LocalEngine(EngineOptions.builder().root(this.base.resolve("engine")).dockerConfig(null).build());
        engine.images().pull(image);
    }

    /** One container's life: total, create, start, waitFor, remove (ms). */
    @Override
    public double[] get() {
        long t0 = System.nanoTime();
        Container c = engine.containers().builder().image(image).command("/bin/true").network(NetworkMode.none())
                .memory(MEMORY).create();
        long t1 = System.nanoTime();
        c.start();
        long t2 = System.nanoTime();
        int exit = c.waitFor(Duration.ofSeconds(30));
        long t3 = System.nanoTime();
        c.close();
        long t4 = System.nanoTime();
        if (exit != 0) {
            throw new IllegalStateException("/bin/true exited " + exit);
        }
        return new double[] {(t4 - t0) / 1e6, (t1 - t0) / 1e6, (t2 - t1) / 1e6, (t3 - t2) / 1e6, (t4 - t3) / 1e6};
    }

    /** runc bundles over the layer this engine unpacked, as RunBenchmark makes them: {plain rootfs, overlay}. */
    public String[] runcBundles() throws Exception {
        layerDir = engine.imageService().prepareForRun(image, PullOptions.defaults()).layerDirs().getFirst();
        Path[] bundles = RunBenchmark.runcBundles(base, layerDir);
        return new String[] {bundles[0].toString(), bundles[1].toString()};
    }

    /** {@code runc run} in the foreground: it creates, starts, waits and deletes by itself. */
    public static void runc(String bundle, String id) {
        RunBenchmark.runc(Path.of(bundle), id);
    }

    /** runc on a fresh overlay of the same layer, mounted and removed per run. */
    public void runcOnFreshOverlay(String bundle, String id) throws Exception {
        RunBenchmark.runcOnFreshOverlay(base.resolve("runc-overlay-runs/" + ++overlayRuns), layerDir, Path.of(bundle), id);
    }

    @Override
    public void close() {
        engine.containers().list(true).forEach(c -> engine.containers().get(c.id()).remove(true));
        engine.close();
    }
}
