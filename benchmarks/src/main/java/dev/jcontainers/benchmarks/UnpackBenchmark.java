package dev.jcontainers.benchmarks;

import dev.jcontainers.oci.image.Descriptor;
import dev.jcontainers.oci.image.Digest;
import dev.jcontainers.oci.image.ImageConfig;
import dev.jcontainers.oci.image.ImageManifest;
import dev.jcontainers.oci.image.OciJson;
import dev.jcontainers.oci.layer.LayerStore;
import dev.jcontainers.oci.layer.UnpackOptions;
import dev.jcontainers.oci.store.OciStore;
import dev.jcontainers.testkit.FixtureImage;
import dev.jcontainers.testkit.TestImages;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Unpack of one multi-layer image (TestImages.large) by our LayerStore, by {@code umoci unpack} and by
 * {@code tar -xzf} of each layer in order, alternating, each run into a fresh directory.
 *
 * <p>Usage: {@code UnpackBenchmark WORKDIR MEGABYTES LAYERS RUNS disk|tmpfs}. On disk every output stays until
 * the end (ext4 without a journal creates files slowly right after large deletes); on tmpfs each output is
 * removed right after its run, untimed, to keep shared memory low.
 */
public final class UnpackBenchmark {
    public static void main(String[] args) throws Exception {
        Path work = Path.of(args[0]);
        int megabytes = Integer.parseInt(args[1]);
        int layers = Integer.parseInt(args[2]);
        int runs = Integer.parseInt(args[3]);
        boolean tmpfs = args[4].equals("tmpfs");
        Files.createDirectories(work);

        FixtureImage image = new TestImages(work.resolve("fixture")).large("big", megabytes, layers);
        Path layout = image.layout();
        OciStore store = OciStore.open(layout);
        ImageManifest manifest = (ImageManifest) OciJson.parseManifest(
                store.read(Digest.parse(image.manifestDigest())), null);
        ImageConfig config = OciJson.parseConfig(store.read(manifest.config().parsedDigest()));
        long uncompressed = 0;
        for (Descriptor layer : manifest.layers()) {
            uncompressed += store.open(layer.parsedDigest()).transferTo(java.io.OutputStream.nullOutputStream());
        }
        System.out.printf("image: %d layers, %.1f MB compressed, %.1f MB uncompressed; mode %s; %d runs%n",
                manifest.layers().size(), manifest.layers().stream().mapToLong(Descriptor::size).sum() / 1e6,
                uncompressed / 1e6, tmpfs ? "tmpfs" : "disk", runs);

        Map<String, List<Double>> seconds = new LinkedHashMap<>();
        List<String> tools = new ArrayList<>(List.of("jc", "umoci", "tar"));
        for (int run = 0; run < runs; run++) {
            for (String tool : tools) {
                Path out = work.resolve("out").resolve(tool + "-" + run);
                long start = System.nanoTime();
                switch (tool) {
                    case "jc" -> LayerStore.open(out, store, UnpackOptions.defaults()).ensureUnpacked(manifest, config);
                    case "umoci" -> exec("umoci", "unpack", "--image", layout + ":big", out.toString());
                    case "tar" -> {
                        Files.createDirectories(out);
                        for (Descriptor layer : manifest.layers()) {
                            exec("tar", "-xzf", store.blobPath(layer.parsedDigest()).toString(), "-C", out.toString());
                        }
                    }
                    default -> throw new IllegalStateException(tool);
                }
                double s = (System.nanoTime() - start) / 1e9;
                seconds.computeIfAbsent(tool, k -> new ArrayList<>()).add(s);
                System.out.printf("run %d %-5s %6.3f s%n", run, tool, s);
                if (tmpfs) {
                    exec("rm", "-rf", out.toString());
                }
            }
            java.util.Collections.rotate(tools, 1); // alternate who goes first
        }
        double jc = BenchSupport.median(seconds.get("jc"));
        System.out.println();
        System.out.printf("%-6s %9s %9s %s%n", "tool", "median s", "MB/s", "jc speed-up");
        for (Map.Entry<String, List<Double>> e : seconds.entrySet()) {
            double m = BenchSupport.median(e.getValue());
            System.out.printf("%-6s %9.3f %9.1f %.2fx%n", e.getKey(), m, uncompressed / 1e6 / m, m / jc);
        }
    }


    private static void exec(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new IOException(Arrays.toString(command) + " failed: " + output);
        }
    }
}
