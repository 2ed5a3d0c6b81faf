package dev.jcontainers.benchmarks;

import dev.jcontainers.api.Container;
import dev.jcontainers.api.ContainerStatus;
import dev.jcontainers.api.DataSize;
import dev.jcontainers.api.EngineOptions;
import dev.jcontainers.api.NetworkMode;
import dev.jcontainers.api.PullOptions;
import dev.jcontainers.core.LocalEngine;
import dev.jcontainers.linux.mount.MountInfo;
import dev.jcontainers.linux.mount.OverlayMount;
import dev.jcontainers.testkit.FixtureImage;
import dev.jcontainers.testkit.RegistryServer;
import dev.jcontainers.testkit.Skopeo;
import dev.jcontainers.testkit.TestImages;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static dev.jcontainers.benchmarks.BenchSupport.loadAverage;
import static dev.jcontainers.benchmarks.BenchSupport.median;
import static dev.jcontainers.benchmarks.BenchSupport.percentile;

/**
 * Container start-to-exit, side by side in one run, from a busybox image already in the store:
 * <ol>
 *   <li>{@code /bin/true} through the API in this warm JVM (fresh overlay, pid/net/ipc/uts/mnt/cgroup namespaces,
 *       a cgroup with a 64 MiB memory limit, removal) against {@code runc run} of an equivalent bundle, once on a
 *       plain rootfs directory and once on a fresh overlay mounted (and removed) per run;</li>
 *   <li>cold CLI end to end: a fresh JVM running {@link RunOnce} (the {@code jc run --rm} path), plain and with an
 *       AppCDS archive, optionally a real {@code jc run --rm} launcher, against {@code podman run --rm --network none};</li>
 *   <li>containers per second through the API, sequential and 4-way parallel (runc alongside), and per running
 *       container: the monitor's RSS and this JVM's heap.</li>
 * </ol>
 * Each round runs the contenders in a fresh random order, so that noise from other work on the machine, and the
 * background work a contender leaves behind, hits them alike.
 *
 * <p>Options: {@code --runs N} (50), {@code --cold-runs N} (20; 0 skips the cold section), {@code --warmup W} (10), {@code --batch N}
 * (40 containers per throughput measurement), {@code --density N} (20 running containers), {@code --dir DIR}
 * (where the engine root, bundles and podman store go; default the JVM's tmpdir), {@code --cli-classpath CP}
 * (jars holding {@link RunOnce}; omit to skip the cold section), {@code --jc PATH} (a launcher that has
 * {@code run --rm}), {@code --no-podman}, {@code --out FILE} (also write the Markdown there).
 */
public final class RunBenchmark {
    private static final String REPO_TAG = "bench/busybox:1";
    private static final DataSize MEMORY = DataSize.ofMegabytes(64);
    private static final long PROCESS_TIMEOUT_SECONDS = 120;
    /** podman's SHM lock table; it outlives {@code system reset}. */
    private static final Path PODMAN_SHM_LOCK = Path.of("/dev/shm/libpod_lock");

    private final Options options;
    private final String image;
    private final Path base;
    private final LocalEngine engine;
    /** The same engine without a prepared launch helper (EngineOptions.preparedLaunches(false)): the "before". */
    private final LocalEngine unprepared;
    private final AtomicInteger runcIds = new AtomicInteger();
    private final AtomicInteger overlayRuns = new AtomicInteger();
    private final String runcPrefix = "jcbench-" + ProcessHandle.current().pid() + "-";
    private Path plainBundle;
    private Path overlayBundle;
    private Path layerDir;
    private List<String> podman;
    private Path podmanRun;
    /** Milliseconds per API run in create, start, waitFor and remove (all runs, warm-ups included). */
    private final List<List<Double>> apiPhases = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
    private List<Path> podmanCgroupsBefore = List.of();
    private final boolean podmanLockExisted = Files.exists(PODMAN_SHM_LOCK);
    private final List<Path> engineCgroupsBefore = engineCgroups();

    private RunBenchmark(Options options, String image, Path base) {
        this.options = options;
        this.image = image;
        this.base = base;
        this.engine = new LocalEngine(EngineOptions.builder().root(base.resolve("engine")).dockerConfig(null).build());
        this.unprepared = new LocalEngine(EngineOptions.builder().root(base.resolve("engine-unprepared")).dockerConfig(null)
                .preparedLaunches(false).build());
    }

    public static void main(String[] args) throws Exception {
        Options options = Options.parse(args);
        Path fixtures = Files.createTempDirectory("jc-run-bench-fixture-");
        Path base = Files.createTempDirectory(options.dir, "jc-run-bench-");
        try (RegistryServer registry = RegistryServer.plain()) {
            FixtureImage fixture = new TestImages(fixtures).singleLayer("busybox");
            Skopeo.push(fixture, registry, REPO_TAG);
            RunBenchmark bench = new RunBenchmark(options, registry.host() + "/" + REPO_TAG, base);
            try {
                bench.prepare();
                String report = bench.run();
                System.out.println(report);
                if (options.out != null) {
                    Files.writeString(options.out, report);
                }
            } finally {
                bench.cleanUp();
            }
        } finally {
            deleteTree(fixtures);
            deleteTree(base);
        }
    }

    /** Pulls once into every store and builds the two runc bundles over the very layer our engine unpacked. */
    private void prepare() throws IOException {
        engine.images().pull(image);
        unprepared.images().pull(image);
        layerDir = engine.imageService().prepareForRun(image, PullOptions.defaults()).layerDirs().getFirst();
        Path[] bundles = runcBundles(base, layerDir);
        plainBundle = bundles[0];
        overlayBundle = bundles[1];
        if (options.cliClasspath != null) {
            try (LocalEngine cold = new LocalEngine(EngineOptions.builder().root(base.resolve("cold-root")).dockerConfig(null).build())) {
                cold.images().pull(image);
            }
        }
        if (options.podman) {
            // podman refuses a runroot longer than 50 characters; its runroot is a tmpfs in /run normally anyway
            try (Stream<Path> hierarchies = Files.list(Path.of("/sys/fs/cgroup"))) {
                podmanCgroupsBefore = hierarchies.map(h -> h.resolve("libpod_parent")).filter(Files::isDirectory).toList();
            }
            podmanRun = Files.createTempDirectory(Path.of("/run"), "jcb-");
            podman = List.of("podman", "--root", base.resolve("podman").toString(), "--runroot", podmanRun.resolve("run").toString(),
                    "--tmpdir", podmanRun.resolve("tmp").toString(), "--storage-driver", "overlay", "--cgroup-manager", "cgroupfs",
                    "--events-backend", "file", "--runtime", "runc");
            exec(concat(podman, "pull", "-q", "--tls-verify=false", image));
        }
    }

    private String run() throws Exception {
        StringBuilder md = new StringBuilder(header());
        md.append(startToExit());
        if (options.coldRuns > 0 && (options.cliClasspath != null || options.podman || options.jc != null)) {
            md.append(coldEndToEnd());
        }
        md.append(throughput());
        md.append(density());
        return md.toString();
    }

    // ---- 1. start-to-exit in a warm JVM vs runc ----

    private String startToExit() throws Exception {
        List<Contender> contenders = List.of(
                new Contender("jcontainers API (warm JVM)", this::runThroughApi),
                new Contender("`runc run`, plain rootfs dir", () -> runc(plainBundle)),
                new Contender("`runc run` + fresh overlay", this::runcOnFreshOverlay),
                new Contender("jcontainers API, no prepared launch", this::runUnprepared));
        Map<Contender, List<Double>> times = measure(contenders, options.warmup, options.runs);
        double ours = median(times.get(contenders.get(0)));
        StringBuilder sb = new StringBuilder("### Start-to-exit of `/bin/true` (warm JVM vs runc)\n\n");
        sb.append(table(times, contenders.get(1), "vs runc plain"));
        sb.append(String.format(Locale.ROOT, "Ratio of medians, ours / runc: %.2f (plain rootfs), %.2f (fresh overlay); goal <= 0.5.%n%n",
                ours / median(times.get(contenders.get(1))), ours / median(times.get(contenders.get(2)))));
        sb.append(String.format(Locale.ROOT, "With / without a prepared launch helper (medians): %.2f.%n%n",
                ours / median(times.get(contenders.get(3)))));
        List<String> names = List.of("create (overlay mount, spec, etc files)", "start (cgroup, launch helper, go)",
                "waitFor (exit reported: cgroup, rootfs unmounted)", "remove (defensive checks, delete dir)");
        sb.append("Where the API's time goes (all ").append(apiPhases.getFirst().size()).append(" runs incl. warm-ups):\n\n")
                .append("| phase | median (ms) | p99 (ms) |\n|---|---:|---:|\n");
        for (int i = 0; i < names.size(); i++) {
            sb.append(String.format(Locale.ROOT, "| %s | %.1f | %.1f |%n", names.get(i), median(apiPhases.get(i)),
                    percentile(apiPhases.get(i), 0.99)));
        }
        apiPhases.forEach(List::clear);
        return sb.append('\n').toString();
    }

    private void runThroughApi() {
        runThroughApi(engine, true);
    }

    private void runUnprepared() {
        runThroughApi(unprepared, false);
    }

    /** create (overlay, spec) / start (cgroup, launch) / wait / remove, timed apart to show where the time goes. */
    private void runThroughApi(LocalEngine engine, boolean recordPhases) {
        long t0 = System.nanoTime();
        Container c = engine.containers().builder().image(image).command("/bin/true").network(NetworkMode.none())
                .memory(MEMORY).create();
        boolean removed = false;
        try {
            long t1 = System.nanoTime();
            c.start();
            long t2 = System.nanoTime();
            int exit = c.waitFor(Duration.ofSeconds(30));
            long t3 = System.nanoTime();
            if (exit != 0) {
                throw new IllegalStateException("/bin/true exited " + exit + ": " + c.logs().stderr());
            }
            c.close();
            removed = true;
            long t4 = System.nanoTime();
            long[] phases = {t1 - t0, t2 - t1, t3 - t2, t4 - t3};
            for (int i = 0; i < phases.length && recordPhases; i++) {
                apiPhases.get(i).add(phases[i] / 1e6);
            }
        } finally {
            if (!removed) {
                c.close();
            }
        }
    }

    private void runc(Path bundle) {
        runc(bundle, runcPrefix + runcIds.incrementAndGet());
    }

    private void runcOnFreshOverlay() throws IOException {
        runcOnFreshOverlay(base.resolve("runc-overlay-runs/" + overlayRuns.incrementAndGet()), layerDir, overlayBundle,
                runcPrefix + runcIds.incrementAndGet());
    }

    /**
     * The two runc bundles compared with our containers, over the very layer our engine unpacked: [0] a plain rootfs
     * (a copy of the layer), [1] one whose rootfs gets a fresh overlay of the layer per run
     * ({@link #runcOnFreshOverlay(Path, Path, Path, String)}).
     */
    static Path[] runcBundles(Path base, Path layerDir) throws IOException {
        Path plain = Files.createDirectories(base.resolve("runc-plain"));
        exec(List.of("cp", "-a", layerDir.toString(), plain.resolve("rootfs").toString()));
        BenchSupport.writeRuncConfig(plain, MEMORY, "/bin/true");
        Path overlay = Files.createDirectories(base.resolve("runc-overlay/rootfs")).getParent();
        BenchSupport.writeRuncConfig(overlay, MEMORY, "/bin/true");
        return new Path[] {plain, overlay};
    }

    /** {@code runc run} in the foreground creates, starts, waits and deletes (state and cgroup) by itself. */
    static void runc(Path bundle, String id) {
        exec(List.of("runc", "run", "--bundle", bundle.toString(), id));
    }

    /** What our engine does around the process: a fresh upper/work dir in {@code runDir}, an overlay, all removed after. */
    static void runcOnFreshOverlay(Path runDir, Path layerDir, Path overlayBundle, String id) throws IOException {
        Path dir = Files.createDirectories(runDir);
        Path upper = Files.createDirectory(dir.resolve("upper"));
        Path work = Files.createDirectory(dir.resolve("work"));
        try (OverlayMount ignored = OverlayMount.mount(List.of(layerDir), upper, work, overlayBundle.resolve("rootfs"))) {
            runc(overlayBundle, id);
        }
        deleteTree(dir);
    }

    // ---- 2. cold CLI end to end vs podman ----

    private String coldEndToEnd() throws Exception {
        List<Contender> contenders = new ArrayList<>();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> jvm = List.of(java, "--enable-native-access=ALL-UNNAMED", "-XX:+UseSerialGC", "-Xshare:auto");
        List<String> runOnce = List.of("-cp", options.cliClasspath == null ? "" : options.cliClasspath,
                RunOnce.class.getName(), base.resolve("cold-root").toString(), image, "/bin/true");
        Path cds = base.resolve("runonce.jsa");
        if (options.cliClasspath != null) {
            contenders.add(new Contender("cold JVM `RunOnce` (SerialGC, no archive)", () -> exec(concat(jvm, runOnce))));
            List<String> withCds = concat(jvm, "-XX:SharedArchiveFile=" + cds, "-XX:+AutoCreateSharedArchive");
            contenders.add(new Contender("cold JVM `RunOnce` + AppCDS", () -> exec(concat(withCds, runOnce))));
            List<String> withCdsC1 = concat(jvm, "-XX:SharedArchiveFile=" + base.resolve("runonce-c1.jsa"),
                    "-XX:+AutoCreateSharedArchive", "-XX:TieredStopAtLevel=1");
            contenders.add(new Contender("cold JVM `RunOnce` + AppCDS + C1 only", () -> exec(concat(withCdsC1, runOnce))));
        }
        if (options.jc != null) {
            List<String> jcRun = List.of(options.jc.toString(), "--root", base.resolve("cold-root").toString(), "run", "--rm",
                    "--network", "none", image, "/bin/true");
            // bin/jc records its AOT cache in the first `jc run` of a jar; have it before anything is timed
            exec(jcRun, Map.of("JC_AOT_WAIT", "1"));
            contenders.add(new Contender("`jc run --rm --network none` (bin/jc: AOT cache, C1)", () -> exec(jcRun)));
        }
        if (podman != null) {
            // podman's default RLIMIT_NOFILE/NPROC exceed this sandbox's hard limits (no CAP_SYS_RESOURCE here)
            contenders.add(new Contender("`podman run --rm --network none`",
                    () -> exec(concat(podman, "run", "--rm", "--network", "none", "--ulimit", "nofile=1024:1024", "--ulimit", "nproc=1024:1024", image, "/bin/true"))));
        }
        contenders.add(new Contender("`runc run`, plain rootfs dir (reference)", () -> runc(plainBundle)));
        Map<Contender, List<Double>> times = measure(contenders, 2, options.coldRuns);
        Contender anchor = contenders.stream().filter(c -> c.label.startsWith("`podman")).findFirst()
                .orElse(contenders.getLast());
        return "### Cold CLI end to end\n\n" + table(times, anchor, "vs " + anchor.label.replace("`", "").split(" ")[0])
                + "(AppCDS archive: " + (Files.exists(cds) ? Files.size(cds) / (1 << 20) + " MiB" : "not created")
                + ", created by the first warm-up run with -XX:+AutoCreateSharedArchive.)\n\n";
    }

    // ---- 3. throughput, helper RSS and heap per running container ----

    private String throughput() throws Exception {
        StringBuilder sb = new StringBuilder("### Containers per second (`/bin/true`, start to removal)\n\n");
        sb.append(String.format(Locale.ROOT, "%d containers per measurement, best and median of 3 measurements.%n%n", options.batch));
        sb.append("| contender | sequential /s | 4-way parallel /s |\n|---|---:|---:|\n");
        List<Contender> contenders = List.of(new Contender("jcontainers API (warm JVM)", this::runThroughApi),
                new Contender("`runc run`, plain rootfs dir", () -> runc(plainBundle)),
                new Contender("jcontainers API, no prepared launch", this::runUnprepared));
        double[][] seq = new double[contenders.size()][3];
        double[][] par = new double[contenders.size()][3];
        for (int i = 0; i < 3; i++) { // interleaved, so that load from other work hits both alike
            for (int k = 0; k < contenders.size(); k++) {
                seq[k][i] = rate(contenders.get(k), 1);
                par[k][i] = rate(contenders.get(k), 4);
            }
        }
        for (int k = 0; k < contenders.size(); k++) {
            Arrays.sort(seq[k]);
            Arrays.sort(par[k]);
            sb.append(String.format(Locale.ROOT, "| %s | %.1f (median %.1f) | %.1f (median %.1f) |%n",
                    contenders.get(k).label, seq[k][2], seq[k][1], par[k][2], par[k][1]));
        }
        return sb.append("\nThe API's batches include deleting the removed containers' directories, which removal leaves to a "
                + "background thread (timed until `awaitRemovals()` returns).\n\n").toString();
    }

    private double rate(Contender c, int threads) throws Exception {
        long start = System.nanoTime();
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int share = options.batch / threads;
                done.add(pool.submit(() -> {
                    for (int i = 0; i < share; i++) {
                        c.body.run();
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        }
        if (c.label.startsWith("jcontainers")) {
            engine.containers().awaitRemovals();
            unprepared.containers().awaitRemovals();
        }
        double s = (System.nanoTime() - start) / 1e9;
        System.err.printf(Locale.ROOT, "%s, %d thread(s): %d in %.2f s%n", c.label, threads, options.batch, s);
        return options.batch / s;
    }

    private String density() throws Exception {
        long heapIdle = heapAfterGc();
        List<Container> running = new ArrayList<>();
        long rssKib = 0;
        long heapBusy;
        try {
            for (int i = 0; i < options.density; i++) {
                running.add(engine.containers().builder().image(image).command("sleep", "60")
                        .network(NetworkMode.none()).memory(MEMORY).start());
            }
            for (Container c : running) {
                if (c.status() != ContainerStatus.RUNNING) {
                    throw new IllegalStateException(c.id() + " is " + c.status());
                }
                long monitor = parentOf(c.inspect().pid());
                rssKib += statusField(monitor, "VmRSS");
            }
            heapBusy = heapAfterGc();
        } finally {
            running.forEach(Container::close);
        }
        int n = options.density;
        return String.format(Locale.ROOT, """
                ### Per running container (%d `sleep 60` containers)

                | measure | total | per container |
                |---|---:|---:|
                | monitor (`jc-launch`) RSS, sum of VmRSS | %d KiB | %.0f KiB |
                | JVM heap used after GC, %d running minus 0 | %+.0f KiB | %.1f KiB |

                """, n, rssKib, rssKib / (double) n, n, (heapBusy - heapIdle) / 1024.0, (heapBusy - heapIdle) / 1024.0 / n);
    }

    private static long heapAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static long parentOf(long pid) throws IOException {
        return statusField(pid, "PPid");
    }

    private static long statusField(long pid, String field) throws IOException {
        return Files.readAllLines(Path.of("/proc/" + pid + "/status")).stream().filter(l -> l.startsWith(field + ":"))
                .map(l -> l.substring(field.length() + 1).strip().split("\\s+")[0]).mapToLong(Long::parseLong)
                .findFirst().orElseThrow();
    }

    // ---- measurement, report, clean-up ----

    private Map<Contender, List<Double>> measure(List<Contender> contenders, int warmup, int runs) throws Exception {
        for (Contender c : contenders) {
            for (int w = 0; w < warmup; w++) {
                c.body.run();
            }
        }
        Map<Contender, List<Double>> times = new LinkedHashMap<>();
        contenders.forEach(c -> times.put(c, new ArrayList<>()));
        // A fresh random order each round: what a contender leaves running in the background (an engine's refills
        // and trash) lands on whoever comes next, which a rotating order makes the same contender in all rounds but one
        // of each cycle.
        List<Contender> order = new ArrayList<>(contenders);
        Random random = new Random(42);
        for (int run = 0; run < runs; run++) {
            Collections.shuffle(order, random);
            for (Contender c : order) {
                long start = System.nanoTime();
                c.body.run();
                times.get(c).add((System.nanoTime() - start) / 1e6);
            }
            if (run % 10 == 9) {
                System.err.printf(Locale.ROOT, "round %d/%d, load %s%n", run + 1, runs, loadAverage());
            }
        }
        return times;
    }

    private static String table(Map<Contender, List<Double>> times, Contender anchor, String ratioLabel) {
        double anchorMedian = median(times.get(anchor));
        StringBuilder sb = new StringBuilder("| contender | N | median (ms) | p99 (ms) | min (ms) | median " + ratioLabel + " |\n");
        sb.append("|---|---:|---:|---:|---:|---:|\n");
        times.forEach((c, t) -> sb.append(String.format(Locale.ROOT, "| %s | %d | %.1f | %.1f | %.1f | %.2fx |%n", c.label,
                t.size(), median(t), percentile(t, 0.99), t.stream().mapToDouble(Double::doubleValue).min().orElseThrow(),
                median(t) / anchorMedian)));
        return sb.append('\n').toString();
    }

    private String header() throws IOException {
        return String.format(Locale.ROOT, """
                ## Run: start-to-exit, cold CLI, throughput, density (RunBenchmark)

                %s, %d CPUs, load average at start: %s. Working dir %s (filesystem %s), image `%s` (busybox fixture,
                one layer). Warm JVM flags: %s. Memory limit %d MiB on our containers and runc's.

                """, LocalDateTime.now().format(DateTimeFormatter.ISO_LOCAL_DATE_TIME).substring(0, 16),
                Runtime.getRuntime().availableProcessors(), loadAverage(), base, Files.getFileStore(base).type(), image,
                String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments()), MEMORY.toMegabytes());
    }

    /** Leaves no container, runc state, podman store or mount behind; cgroups go with their containers. */
    private void cleanUp() {
        for (LocalEngine e : List.of(engine, unprepared)) {
            e.containers().list(true).forEach(c -> e.containers().get(c.id()).remove(true));
            e.close();
        }
        try {
            String leftover = execOutput(List.of("runc", "list", "-q"));
            leftover.lines().filter(id -> id.startsWith(runcPrefix))
                    .forEach(id -> exec(List.of("runc", "delete", "-f", id)));
        } catch (RuntimeException e) {
            System.err.println("runc clean-up: " + e.getMessage());
        }
        if (podman != null) {
            try {
                exec(concat(podman, "rm", "-af"));
                exec(concat(podman, "system", "reset", "-f"));
            } catch (RuntimeException e) {
                System.err.println("podman clean-up: " + e.getMessage());
            }
            removePodmanCgroups();
            try {
                unmountUnder(podmanRun);
                deleteTree(podmanRun);
            } catch (IOException | RuntimeException e) {
                System.err.println("podman clean-up: " + e.getMessage());
            }
        }
        unmountUnder(base);
        try {
            if (podman != null && !podmanLockExisted) {
                Files.deleteIfExists(PODMAN_SHM_LOCK);
            }
        } catch (IOException e) {
            System.err.println("podman clean-up: " + e);
        }
        // Other engines on this machine share the parent cgroup: report, never remove, what appeared meanwhile.
        List<Path> appeared = engineCgroups().stream().filter(p -> !engineCgroupsBefore.contains(p)).toList();
        System.err.println(appeared.isEmpty() ? "no container cgroup left behind"
                : "container cgroups that appeared during the run (ours or another engine's): " + appeared);
    }

    /** Container cgroups under our engine's parent in every hierarchy (v1) or the unified tree (v2). */
    private static List<Path> engineCgroups() {
        try (Stream<Path> roots = Files.list(Path.of("/sys/fs/cgroup"))) {
            List<Path> parents = Stream.concat(roots, Stream.of(Path.of("/sys/fs/cgroup")))
                    .map(r -> r.resolve("jcontainers")).filter(Files::isDirectory).toList();
            List<Path> found = new ArrayList<>();
            for (Path parent : parents) {
                try (Stream<Path> children = Files.list(parent)) {
                    children.filter(Files::isDirectory).forEach(found::add);
                }
            }
            return found;
        } catch (IOException e) {
            return List.of();
        }
    }

    /** podman's cgroupfs manager leaves {@code libpod_parent[/conmon]} in every v1 hierarchy: remove ours, if empty. */
    private void removePodmanCgroups() {
        try (Stream<Path> hierarchies = Files.list(Path.of("/sys/fs/cgroup"))) {
            for (Path dir : hierarchies.map(h -> h.resolve("libpod_parent")).filter(d -> !podmanCgroupsBefore.contains(d)).toList()) {
                if (Files.isDirectory(dir)) {
                    try (Stream<Path> walk = Files.walk(dir)) {
                        for (Path d : walk.filter(Files::isDirectory).sorted(Comparator.reverseOrder()).toList()) {
                            Files.delete(d); // rmdir: fails if a process is still in it, which must not be
                        }
                    }
                }
            }
        } catch (IOException e) {
            System.err.println("podman cgroup clean-up: " + e);
        }
    }

    private static void unmountUnder(Path dir) {
        MountInfo.self().stream().map(m -> m.mountPoint()).filter(p -> p.startsWith(dir))
                .sorted(Comparator.comparingInt(Path::getNameCount).reversed())
                .forEach(p -> exec(List.of("umount", "-l", p.toString())));
    }

    private record Contender(String label, Body body) {
    }

    @FunctionalInterface
    private interface Body {
        void run() throws Exception;
    }

    private static void exec(List<String> command) {
        execOutput(command, Map.of());
    }

    private static void exec(List<String> command, Map<String, String> env) {
        execOutput(command, env);
    }

    private static String execOutput(List<String> command) {
        return execOutput(command, Map.of());
    }

    private static String execOutput(List<String> command, Map<String, String> env) {
        try {
            ProcessBuilder pb = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.PIPE);
            pb.environment().putAll(env);
            Process p = pb.start();
            p.getOutputStream().close();
            byte[] out = p.getInputStream().readAllBytes();
            String err = new String(p.getErrorStream().readAllBytes());
            if (!p.waitFor(PROCESS_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("timed out: " + command);
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " exited " + p.exitValue() + ": " + err.strip());
            }
            return new String(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static List<String> concat(List<String> head, String... tail) {
        return Stream.concat(head.stream(), Stream.of(tail)).toList();
    }

    private static List<String> concat(List<String> head, List<String> tail) {
        return Stream.concat(head.stream(), tail.stream()).toList();
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    private record Options(int runs, int coldRuns, int warmup, int batch, int density, Path dir, String cliClasspath,
                           Path jc, boolean podman, Path out) {
        static Options parse(String[] args) {
            int runs = 50;
            int coldRuns = 20;
            int warmup = 10;
            int batch = 40;
            int density = 20;
            Path dir = Path.of(System.getProperty("java.io.tmpdir"));
            String cliClasspath = null;
            Path jc = null;
            boolean podman = true;
            Path out = null;
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--runs" -> runs = Integer.parseInt(args[++i]);
                    case "--cold-runs" -> coldRuns = Integer.parseInt(args[++i]);
                    case "--warmup" -> warmup = Integer.parseInt(args[++i]);
                    case "--batch" -> batch = Integer.parseInt(args[++i]);
                    case "--density" -> density = Integer.parseInt(args[++i]);
                    case "--dir" -> dir = Path.of(args[++i]);
                    case "--cli-classpath" -> cliClasspath = args[++i];
                    case "--jc" -> jc = Path.of(args[++i]);
                    case "--no-podman" -> podman = false;
                    case "--out" -> out = Path.of(args[++i]);
                    default -> throw new IllegalArgumentException("unknown option " + args[i]);
                }
            }
            if (batch % 4 != 0) {
                throw new IllegalArgumentException("--batch must be a multiple of 4");
            }
            return new Options(runs, coldRuns, warmup, batch, density, dir, cliClasspath, jc, podman, out);
        }
    }
}
