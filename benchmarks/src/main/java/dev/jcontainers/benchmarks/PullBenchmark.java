package dev.jcontainers.benchmarks;

import dev.jcontainers.api.EngineOptions;
import dev.jcontainers.core.LocalEngine;
import dev.jcontainers.testkit.BlobRef;
import dev.jcontainers.testkit.FixtureImage;
import dev.jcontainers.testkit.RegistryServer;
import dev.jcontainers.testkit.Skopeo;
import dev.jcontainers.testkit.TestImages;

import java.io.IOException;
import java.io.UncheckedIOException;
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
 * Pull of a large multi-layer image from a real local registry into an empty directory, side by side in
 * one run: our engine in this (warm) JVM, our CLI in a fresh JVM, and {@code skopeo copy} to an OCI layout.
 * Runs alternate (the order rotates each round) so that machine noise hits all three alike. Every run
 * writes into a directory nobody used before; all of them are deleted only at the end, because on ext4
 * without a journal, creating files right after a large delete is slow for minutes.
 *
 * <p>Options: {@code --runs N} (5), {@code --warmup W} (5 untimed pulls in this JVM first), {@code --megabytes M} (120), {@code --layers L} (6),
 * {@code --parallel P} (engine default), {@code --jc PATH} (the CLI launcher; omit to skip the cold-JVM
 * contender), {@code --jc-variant PATH} (a second launcher of the same jar, e.g. with other JVM flags),
 * {@code --disk ext4|tmpfs|both} (both), {@code --ext4-dir DIR} (the JVM's tmpdir),
 * {@code --tmpfs-dir DIR} (/dev/shm), {@code --out FILE} (also write the Markdown there).
 */
public final class PullBenchmark {
    private static final String REPO_TAG = "bench/big:1";

    private final Options options;
    private final RegistryServer registry;
    private final FixtureImage image;
    private final long transferBytes;
    private final List<Path> createdDirs = new ArrayList<>();

    private PullBenchmark(Options options, RegistryServer registry, FixtureImage image) {
        this.options = options;
        this.registry = registry;
        this.image = image;
        this.transferBytes = image.compressedSize() + image.config().size() + image.manifest().size();
    }

    public static void main(String[] args) throws Exception {
        Options options = Options.parse(args);
        Path fixtures = Files.createTempDirectory("jc-pull-bench-fixture-");
        try (RegistryServer registry = RegistryServer.plain()) {
            long t0 = System.nanoTime();
            FixtureImage image = new TestImages(fixtures).large("big", options.megabytes, options.layers);
            Skopeo.push(image, registry, REPO_TAG);
            System.err.printf(Locale.ROOT, "image built and pushed in %.1f s: %d layers, %.1f MB compressed%n",
                    BenchSupport.seconds(System.nanoTime() - t0), image.layers().size(), image.compressedSize() / 1e6);
            PullBenchmark bench = new PullBenchmark(options, registry, image);
            try {
                String report = bench.run();
                System.out.println(report);
                if (options.out != null) {
                    Files.writeString(options.out, report);
                }
            } finally {
                bench.deleteCreated();
            }
        } finally {
            BenchSupport.deleteTreeQuietly(fixtures);
        }
    }

    private String run() throws IOException {
        StringBuilder md = new StringBuilder();
        md.append(header());
        for (Disk disk : options.disks()) {
            Path base = Files.createTempDirectory(disk.parent, "jc-pull-bench-" + disk.name + "-");
            long registryPid = registryPid();
            createdDirs.add(base);
            List<Contender> contenders = contenders();
            // Untimed: one round of everyone (page cache for the registry's blobs), and more pulls in this JVM
            // until C2 has compiled the hot paths; otherwise its compiler threads eat one of the two cores.
            for (Contender c : contenders) {
                int rounds = c.external ? 1 : options.warmup;
                for (int w = 0; w < rounds; w++) {
                    c.pull(base.resolve("warmup" + w + "-" + c.key));
                }
            }
            Map<Contender, List<Double>> times = new LinkedHashMap<>();
            Map<Contender, List<double[]>> cpu = new LinkedHashMap<>();
            contenders.forEach(c -> {
                times.put(c, new ArrayList<>());
                cpu.put(c, new ArrayList<>());
            });
            for (int run = 0; run < options.runs; run++) {
                for (int k = 0; k < contenders.size(); k++) {
                    Contender c = contenders.get((run + k) % contenders.size());
                    Path target = base.resolve("run" + run + "-" + c.key);
                    CpuTimes before = CpuTimes.now(registryPid);
                    long start = System.nanoTime();
                    c.pull(target);
                    double s = BenchSupport.seconds(System.nanoTime() - start);
                    CpuTimes used = CpuTimes.now(registryPid).minus(before);
                    c.check(target);
                    times.get(c).add(s);
                    double clientCpu = c.external ? used.children() : used.self();
                    cpu.get(c).add(new double[] {clientCpu, used.registry()});
                    System.err.printf(Locale.ROOT, "[%s] run %d %-22s %6.2f s  %7.1f MB/s  cpu: client %.2f s,"
                            + " registry %.2f s%n", disk.name, run + 1, c.label, s, transferBytes / 1e6 / s,
                            clientCpu, used.registry());
                }
            }
            md.append(table(disk, times, cpu));
        }
        return md.toString();
    }

    /** The docker-registry child process that {@link RegistryServer} started. */
    private static long registryPid() {
        return ProcessHandle.current().children()
                .filter(p -> p.info().command().map(c -> c.endsWith("docker-registry")).orElse(false))
                .mapToLong(ProcessHandle::pid).findFirst().orElse(-1);
    }

    private List<Contender> contenders() {
        String ref = registry.host() + "/" + REPO_TAG;
        List<Contender> list = new ArrayList<>();
        list.add(new Contender("jc-warm", "jcontainers (warm JVM)", false, target -> {
            EngineOptions.Builder b = EngineOptions.builder().root(target).dockerConfig(null);
            if (options.parallel > 0) {
                b.parallelDownloads(options.parallel);
            }
            try (LocalEngine engine = new LocalEngine(b.build())) {
                engine.images().pull(ref);
            }
        }, this::checkOurStore));
        if (options.jc != null) {
            list.add(new Contender("jc-cold", "`bin/jc pull` (cold JVM)", true, target -> BenchSupport.exec(List.of(options.jc.toString(),
                    "--root", target.toString(), "pull", "-q", ref)), this::checkOurStore));
        }
        if (options.jcVariant != null) {
            list.add(new Contender("jc-variant", "`" + options.jcVariant.getFileName() + " pull` (cold JVM)", true,
                    target -> BenchSupport.exec(List.of(options.jcVariant.toString(), "--root", target.toString(), "pull", "-q", ref)),
                    this::checkOurStore));
        }
        list.add(new Contender("skopeo", "skopeo copy", true, target -> BenchSupport.exec(List.of("skopeo", "--insecure-policy", "copy",
                "--src-tls-verify=false", "docker://" + ref, "oci:" + target + ":big")), this::checkBlobs));
        return list;
    }

    private void checkOurStore(Path root) {
        checkBlobs(root);
        try {
            if (!Files.readString(root.resolve("index.json")).contains(image.manifestDigest())) {
                throw new IllegalStateException(root + "/index.json does not name " + image.manifestDigest());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every blob is in the layout with its full size (both tools verified the digests while writing). */
    private void checkBlobs(Path layout) {
        List<BlobRef> blobs = new ArrayList<>(image.layers());
        blobs.add(image.config());
        blobs.add(image.manifest());
        for (BlobRef blob : blobs) {
            Path file = layout.resolve("blobs/sha256").resolve(blob.hex());
            try {
                if (Files.size(file) != blob.size()) {
                    throw new IllegalStateException(file + " has " + Files.size(file) + " bytes, expected " + blob.size());
                }
            } catch (IOException e) {
                throw new IllegalStateException("missing blob after pull: " + file, e);
            }
        }
    }

    private String header() {
        return String.format(Locale.ROOT, """
                ## Pull: %d MiB image, %d layers (%d blobs, %.1f MB compressed incl. config+manifest)

                %s, %d CPUs, load average at start: %s, runs: %d (+%d warm-up pulls in this JVM, +1 per external contender), parallel downloads: %s.
                Warm JVM flags: %s. MB/s = 10^6 bytes of compressed blobs per second of wall time;
                CPU s = user+sys seconds of the client process (for the warm JVM, all its threads) and of the registry.

                """, options.megabytes, image.layers().size(), image.layers().size() + 2, transferBytes / 1e6,
                LocalDateTime.now().format(DateTimeFormatter.ISO_LOCAL_DATE_TIME).substring(0, 16),
                Runtime.getRuntime().availableProcessors(), BenchSupport.loadAverage(), options.runs, options.warmup,
                options.parallel > 0 ? options.parallel : "engine default",
                String.join(" ", java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments()));
    }

    private String table(Disk disk, Map<Contender, List<Double>> times, Map<Contender, List<double[]>> cpu) {
        double skopeoMedian = times.entrySet().stream().filter(e -> e.getKey().key.equals("skopeo"))
                .mapToDouble(e -> BenchSupport.median(e.getValue())).findFirst().orElseThrow();
        StringBuilder sb = new StringBuilder();
        String fsType;
        try {
            fsType = Files.getFileStore(disk.parent).type();
        } catch (IOException e) {
            fsType = "unknown";
        }
        sb.append("### Store on ").append(disk.name).append(" (").append(disk.parent).append(", filesystem ")
                .append(fsType).append(")\n\n");
        sb.append("| contender | runs (s) | median (s) | MB/s | throughput vs skopeo | CPU s client | CPU s registry |\n");
        sb.append("|---|---|---:|---:|---:|---:|---:|\n");
        for (Map.Entry<Contender, List<Double>> e : times.entrySet()) {
            double median = BenchSupport.median(e.getValue());
            List<double[]> used = cpu.get(e.getKey());
            sb.append(String.format(Locale.ROOT, "| %s | %s | %.2f | %.1f | %.2fx | %.2f | %.2f |%n", e.getKey().label,
                    String.join(" ", e.getValue().stream().map(s -> String.format(Locale.ROOT, "%.2f", s)).toList()),
                    median, transferBytes / 1e6 / median, skopeoMedian / median,
                    BenchSupport.median(used.stream().map(u -> u[0]).toList()), BenchSupport.median(used.stream().map(u -> u[1]).toList())));
        }
        return sb.append('\n').toString();
    }


    private void deleteCreated() {
        createdDirs.forEach(BenchSupport::deleteTreeQuietly);
    }




    @FunctionalInterface
    private interface PullAction {
        void pull(Path target) throws IOException;
    }

    @FunctionalInterface
    private interface Check {
        void check(Path target);
    }

    /** {@code external}: runs as a child process, whose CPU time the JVM collects when it reaps it. */
    private record Contender(String key, String label, boolean external, PullAction action, Check checker) {
        void pull(Path target) throws IOException {
            action.pull(target);
        }

        void check(Path target) {
            checker.check(target);
        }
    }

    private record Disk(String name, Path parent) {
    }

    /**
     * CPU seconds from /proc: this JVM's own, its reaped children's (the external contenders) and the
     * registry's. On two shared cores the registry competes with the client, so both are reported.
     */
    private record CpuTimes(double self, double children, double registry) {
        private static final double TICKS_PER_SECOND = 100; // USER_HZ on Linux

        static CpuTimes now(long registryPid) {
            long[] own = statFields(Path.of("/proc/self/stat"));
            long[] reg = registryPid > 0 ? statFields(Path.of("/proc/" + registryPid + "/stat")) : new long[4];
            return new CpuTimes((own[0] + own[1]) / TICKS_PER_SECOND, (own[2] + own[3]) / TICKS_PER_SECOND,
                    (reg[0] + reg[1]) / TICKS_PER_SECOND);
        }

        CpuTimes minus(CpuTimes earlier) {
            return new CpuTimes(self - earlier.self, children - earlier.children, registry - earlier.registry);
        }

        /** utime, stime, cutime, cstime: fields 14-17, counted after the parenthesised command name. */
        private static long[] statFields(Path stat) {
            try {
                String text = Files.readString(stat);
                String[] f = text.substring(text.lastIndexOf(')') + 2).split(" ");
                return new long[] {Long.parseLong(f[11]), Long.parseLong(f[12]), Long.parseLong(f[13]),
                        Long.parseLong(f[14])};
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private record Options(int runs, int warmup, int megabytes, int layers, int parallel, Path jc, Path jcVariant, String disk,
                           Path ext4Dir,
                           Path tmpfsDir, Path out) {
        static Options parse(String[] args) {
            Map<String, String> given = new LinkedHashMap<>();
            for (int i = 0; i < args.length; i++) {
                if (!args[i].startsWith("--") || i + 1 >= args.length) {
                    throw new IllegalArgumentException("expected --option value pairs, got " + List.of(args));
                }
                given.put(args[i].substring(2), args[++i]);
            }
            Options o = new Options(
                    Integer.parseInt(given.getOrDefault("runs", "5")),
                    Integer.parseInt(given.getOrDefault("warmup", "5")),
                    Integer.parseInt(given.getOrDefault("megabytes", "120")),
                    Integer.parseInt(given.getOrDefault("layers", "6")),
                    Integer.parseInt(given.getOrDefault("parallel", "0")),
                    given.containsKey("jc") ? Path.of(given.get("jc")) : null,
                    given.containsKey("jc-variant") ? Path.of(given.get("jc-variant")) : null,
                    given.getOrDefault("disk", "both"),
                    Path.of(given.getOrDefault("ext4-dir", System.getProperty("java.io.tmpdir"))),
                    Path.of(given.getOrDefault("tmpfs-dir", "/dev/shm")),
                    given.containsKey("out") ? Path.of(given.get("out")) : null);
            List<String> known = List.of("runs", "warmup", "megabytes", "layers", "parallel", "jc", "jc-variant", "disk", "ext4-dir",
                    "tmpfs-dir", "out");
            given.keySet().stream().filter(k -> !known.contains(k)).findFirst().ifPresent(k -> {
                throw new IllegalArgumentException("unknown option --" + k + "; known: " + known);
            });
            if (!List.of("ext4", "tmpfs", "both").contains(o.disk)) {
                throw new IllegalArgumentException("--disk must be ext4, tmpfs or both");
            }
            return o;
        }

        List<Disk> disks() {
            List<Disk> disks = new ArrayList<>();
            if (!disk.equals("tmpfs")) {
                disks.add(new Disk("ext4", ext4Dir));
            }
            if (!disk.equals("ext4")) {
                disks.add(new Disk("tmpfs", tmpfsDir));
            }
            return disks;
        }
    }
}
