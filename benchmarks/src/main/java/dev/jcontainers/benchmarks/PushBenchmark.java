package dev.jcontainers.benchmarks;

import dev.jcontainers.api.EngineOptions;
import dev.jcontainers.api.PushOptions;
import dev.jcontainers.api.PushResult;
import dev.jcontainers.core.LocalEngine;
import dev.jcontainers.testkit.BlobRef;
import dev.jcontainers.testkit.FixtureImage;
import dev.jcontainers.testkit.RegistryServer;
import dev.jcontainers.testkit.TestImages;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Push of a large multi-layer image from local storage to a real local registry, side by side in one run:
 * our engine in this (warm) JVM ({@code Images.push} from its store) against
 * {@code skopeo copy oci:LAYOUT:tag docker://...} of the same image's OCI layout. Every timed push goes to a
 * registry started for it alone, into a repository name never used before: nothing can be skipped as
 * already present or cross-repository mounted (skopeo remembers where it pushed blobs and would mount them
 * from an earlier run's repository otherwise). Runs alternate, the order rotating each round.
 *
 * <p>Options: {@code --runs N} (5), {@code --warmup W} (3 untimed pushes in this JVM first, one by skopeo),
 * {@code --megabytes M} (120), {@code --layers L} (6), {@code --out FILE} (also write the Markdown there).
 */
public final class PushBenchmark {
    private static final String TAG = "big";

    private final Options options;
    private final FixtureImage image;
    private final LocalEngine engine;
    private final long transferBytes;
    private final HttpClient http = HttpClient.newHttpClient();
    private int repositories;

    private PushBenchmark(Options options, FixtureImage image, LocalEngine engine) {
        this.options = options;
        this.image = image;
        this.engine = engine;
        this.transferBytes = image.compressedSize() + image.config().size() + image.manifest().size();
    }

    public static void main(String[] args) throws Exception {
        Options options = Options.parse(args);
        Path work = Files.createTempDirectory("jc-push-bench-");
        try {
            long t0 = System.nanoTime();
            FixtureImage image = new TestImages(work.resolve("fixture")).large(TAG, options.megabytes, options.layers);
            try (LocalEngine engine = new LocalEngine(EngineOptions.builder().root(work.resolve("store"))
                    .dockerConfig(null).build())) {
                engine.images().load(image.layout());
                engine.images().tag(image.configDigest(), "localhost/bench/big:1");
                System.err.printf(Locale.ROOT, "image built and loaded in %.1f s: %d layers, %.1f MB compressed%n",
                        BenchSupport.seconds(System.nanoTime() - t0), image.layers().size(), image.compressedSize() / 1e6);
                String report = new PushBenchmark(options, image, engine).run();
                System.out.println(report);
                if (options.out != null) {
                    Files.writeString(options.out, report);
                }
            }
        } finally {
            BenchSupport.deleteTreeQuietly(work);
        }
    }

    private String run() {
        List<Contender> contenders = List.of(
                new Contender("jc-warm", "jcontainers `Images.push` (warm JVM)", this::pushOurs),
                new Contender("skopeo", "skopeo copy oci: docker://", this::pushSkopeo));
        // Untimed: pushes in this JVM until C2 has compiled the hot paths, and one skopeo push (page cache).
        for (int w = 0; w < options.warmup; w++) {
            timedPush(contenders.get(0));
        }
        timedPush(contenders.get(1));

        Map<Contender, List<Double>> times = new LinkedHashMap<>();
        contenders.forEach(c -> times.put(c, new ArrayList<>()));
        for (int run = 0; run < options.runs; run++) {
            for (int k = 0; k < contenders.size(); k++) {
                Contender c = contenders.get((run + k) % contenders.size());
                double s = timedPush(c);
                times.get(c).add(s);
                System.err.printf(Locale.ROOT, "run %d %-40s %6.2f s  %7.1f MB/s%n", run + 1, c.label, s,
                        transferBytes / 1e6 / s);
            }
        }
        return header() + table(times);
    }

    /** Starts a fresh registry, times one push into a new repository, checks what arrived, stops the registry. */
    private double timedPush(Contender contender) {
        String repository = "bench/repo-" + (++repositories);
        try (RegistryServer registry = RegistryServer.plain()) {
            String target = registry.host() + "/" + repository + ":" + TAG;
            long start = System.nanoTime();
            contender.push.accept(target);
            double s = BenchSupport.seconds(System.nanoTime() - start);
            checkArrived(registry, repository);
            return s;
        }
    }

    private void pushOurs(String target) {
        PushResult result = engine.images().push("localhost/bench/big:1", target, PushOptions.defaults());
        if (!result.digest().equals(image.manifestDigest())) {
            throw new IllegalStateException("pushed manifest " + result.digest() + ", expected " + image.manifestDigest());
        }
    }

    private void pushSkopeo(String target) {
        BenchSupport.exec(List.of("skopeo", "--insecure-policy", "copy", "-q", "--dest-tls-verify=false",
                "oci:" + image.layout() + ":" + TAG, "docker://" + target));
    }

    /** The tag names our manifest, and every blob is in the repository with its full size. */
    private void checkArrived(RegistryServer registry, String repository) {
        expectHead(registry, repository, "manifests/" + TAG, image.manifest(), true);
        List<BlobRef> blobs = new ArrayList<>(image.layers());
        blobs.add(image.config());
        for (BlobRef blob : blobs) {
            expectHead(registry, repository, "blobs/" + blob.digest(), blob, false);
        }
    }

    private void expectHead(RegistryServer registry, String repository, String path, BlobRef expected,
                            boolean manifest) {
        URI uri = registry.url().resolve("/v2/" + repository + "/" + path);
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).method("HEAD", HttpRequest.BodyPublishers.noBody());
        if (manifest) {
            request.header("Accept", TestImages.MANIFEST);
        }
        try {
            HttpResponse<Void> response = http.send(request.build(), HttpResponse.BodyHandlers.discarding());
            String digest = response.headers().firstValue("Docker-Content-Digest").orElse("");
            long length = response.headers().firstValueAsLong("Content-Length").orElse(-1);
            if (response.statusCode() != 200 || !digest.equals(expected.digest()) || length != expected.size()) {
                throw new IllegalStateException("HEAD " + uri + ": " + response.statusCode() + ", digest " + digest
                        + ", length " + length + "; expected " + expected.digest() + ", " + expected.size());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private String header() {
        return String.format(Locale.ROOT, """
                ## Push: %d MiB image, %d layers (%d blobs, %.1f MB compressed incl. config+manifest)

                %s, %d CPUs, load average at start of the timed runs: %s, runs: %d (+%d warm-up pushes in this JVM, +1 by skopeo).
                Each push goes to its own freshly started registry (storage on %s), into a new repository.
                Warm JVM flags: %s. MB/s = 10^6 bytes of compressed blobs per second of wall time.

                """, options.megabytes, image.layers().size(), image.layers().size() + 2, transferBytes / 1e6,
                LocalDateTime.now().format(DateTimeFormatter.ISO_LOCAL_DATE_TIME).substring(0, 16),
                Runtime.getRuntime().availableProcessors(), BenchSupport.loadAverage(), options.runs, options.warmup,
                System.getProperty("java.io.tmpdir"),
                String.join(" ", java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments()));
    }

    private String table(Map<Contender, List<Double>> times) {
        double skopeoMedian = times.entrySet().stream().filter(e -> e.getKey().key.equals("skopeo"))
                .mapToDouble(e -> BenchSupport.median(e.getValue())).findFirst().orElseThrow();
        StringBuilder sb = new StringBuilder();
        sb.append("| contender | runs (s) | median (s) | MB/s | throughput vs skopeo |\n");
        sb.append("|---|---|---:|---:|---:|\n");
        for (Map.Entry<Contender, List<Double>> e : times.entrySet()) {
            double median = BenchSupport.median(e.getValue());
            sb.append(String.format(Locale.ROOT, "| %s | %s | %.2f | %.1f | %.2fx |%n", e.getKey().label,
                    String.join(" ", e.getValue().stream().map(s -> String.format(Locale.ROOT, "%.2f", s)).toList()),
                    median, transferBytes / 1e6 / median, skopeoMedian / median));
        }
        return sb.append('\n').toString();
    }





    private record Contender(String key, String label, java.util.function.Consumer<String> push) {
    }

    private record Options(int runs, int warmup, int megabytes, int layers, Path out) {
        static Options parse(String[] args) {
            Map<String, String> given = new LinkedHashMap<>();
            for (int i = 0; i < args.length; i++) {
                if (!args[i].startsWith("--") || i + 1 >= args.length) {
                    throw new IllegalArgumentException("expected --option value pairs, got " + List.of(args));
                }
                given.put(args[i].substring(2), args[++i]);
            }
            List<String> known = List.of("runs", "warmup", "megabytes", "layers", "out");
            given.keySet().stream().filter(k -> !known.contains(k)).findFirst().ifPresent(k -> {
                throw new IllegalArgumentException("unknown option --" + k + "; known: " + known);
            });
            return new Options(
                    Integer.parseInt(given.getOrDefault("runs", "5")),
                    Integer.parseInt(given.getOrDefault("warmup", "3")),
                    Integer.parseInt(given.getOrDefault("megabytes", "120")),
                    Integer.parseInt(given.getOrDefault("layers", "6")),
                    given.containsKey("out") ? Path.of(given.get("out")) : null);
        }
    }
}
