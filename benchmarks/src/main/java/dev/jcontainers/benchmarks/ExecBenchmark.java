package dev.jcontainers.benchmarks;

import dev.jcontainers.api.Container;
import dev.jcontainers.api.DataSize;
import dev.jcontainers.api.EngineOptions;
import dev.jcontainers.api.ExecResult;
import dev.jcontainers.api.HealthCheck;
import dev.jcontainers.api.HealthStatus;
import dev.jcontainers.api.NetworkMode;
import dev.jcontainers.api.PullOptions;
import dev.jcontainers.core.LocalEngine;
import dev.jcontainers.testkit.FixtureImage;
import dev.jcontainers.testkit.RegistryServer;
import dev.jcontainers.testkit.Skopeo;
import dev.jcontainers.testkit.TestImages;

import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static dev.jcontainers.benchmarks.BenchSupport.loadAverage;
import static dev.jcontainers.benchmarks.BenchSupport.median;
import static dev.jcontainers.benchmarks.BenchSupport.percentile;

/**
 * Side by side in one run, from a busybox image already in the store:
 * <ol>
 *   <li>{@code exec /bin/true} in a running container through the API (warm JVM) against {@code runc exec} in an
 *       equivalent runc container (a copy of the very layer our engine unpacked; pid/net/ipc/uts/mnt/cgroup
 *       namespaces; 64 MiB memory limit); alternating, median and p99;</li>
 *   <li>health-check overhead: this JVM's CPU time (and that of its reaped children, the launch helpers) per
 *       probe of a {@code CMD /bin/true} check every 100 ms, against an idle window with a container running
 *       and no check; windows alternate.</li>
 * </ol>
 * Options: {@code --runs N} (300), {@code --warmup W} (30), {@code --window S} (10 seconds per CPU window),
 * {@code --rounds R} (3 pairs of CPU windows), {@code --dir DIR}, {@code --out FILE}.
 */
public final class ExecBenchmark {
    private static final String REPO_TAG = "bench/busybox:1";
    private static final DataSize MEMORY = DataSize.ofMegabytes(64);
    private static final Duration PROBE_INTERVAL = Duration.ofMillis(100);
    private static final long CLOCK_TICKS_PER_SECOND = 100; // USER_HZ on Linux

    private final int runs;
    private final int warmup;
    private final int windowSeconds;
    private final int rounds;
    private final Path base;
    private final String image;
    private final LocalEngine engine;
    private final String runcId = "jcbench-exec-" + ProcessHandle.current().pid();
    private boolean runcStarted;

    private ExecBenchmark(int runs, int warmup, int windowSeconds, int rounds, Path base, String image) {
        this.runs = runs;
        this.warmup = warmup;
        this.windowSeconds = windowSeconds;
        this.rounds = rounds;
        this.base = base;
        this.image = image;
        this.engine = new LocalEngine(EngineOptions.builder().root(base.resolve("engine")).dockerConfig(null).build());
    }

    public static void main(String[] args) throws Exception {
        int runs = 300;
        int warmup = 30;
        int window = 10;
        int rounds = 3;
        Path dir = Path.of(System.getProperty("java.io.tmpdir"));
        Path out = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--runs" -> runs = Integer.parseInt(args[++i]);
                case "--warmup" -> warmup = Integer.parseInt(args[++i]);
                case "--window" -> window = Integer.parseInt(args[++i]);
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--dir" -> dir = Path.of(args[++i]);
                case "--out" -> out = Path.of(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        Path fixtures = Files.createTempDirectory("jc-exec-bench-fixture-");
        Path base = Files.createTempDirectory(dir, "jc-exec-bench-");
        try (RegistryServer registry = RegistryServer.plain()) {
            FixtureImage fixture = new TestImages(fixtures).singleLayer("busybox");
            Skopeo.push(fixture, registry, REPO_TAG);
            ExecBenchmark bench = new ExecBenchmark(runs, warmup, window, rounds, base, registry.host() + "/" + REPO_TAG);
            try {
                String report = bench.run();
                System.out.println(report);
                if (out != null) {
                    Files.writeString(out, report);
                }
            } finally {
                bench.cleanUp();
            }
        } finally {
            BenchSupport.deleteTreeQuietly(fixtures);
            BenchSupport.deleteTreeQuietly(base);
        }
    }

    private String run() throws Exception {
        engine.images().pull(image);
        Path layer = engine.imageService().prepareForRun(image, PullOptions.defaults()).layerDirs().getFirst();
        StringBuilder md = new StringBuilder(String.format(Locale.ROOT, """
                ## Exec and health-check overhead (ExecBenchmark)

                %s, %d CPUs, load average at start: %s. Working dir %s (%s). JVM flags: %s.

                """, LocalDateTime.now().format(DateTimeFormatter.ISO_LOCAL_DATE_TIME).substring(0, 16),
                Runtime.getRuntime().availableProcessors(), loadAverage(), base, Files.getFileStore(base).type(),
                String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments())));
        md.append(exec(layer));
        md.append(healthOverhead());
        return md.toString();
    }

    // ---- exec ----

    private String exec(Path layer) throws Exception {
        Path bundle = Files.createDirectories(base.resolve("runc"));
        BenchSupport.exec(List.of("cp", "-a", layer.toString(), bundle.resolve("rootfs").toString()));
        BenchSupport.writeRuncConfig(bundle, MEMORY, "sleep", "3600");
        detached(List.of("runc", "run", "-d", "--bundle", bundle.toString(), runcId));
        runcStarted = true;
        try (Container c = engine.containers().builder().image(image).command("sleep", "3600")
                .network(NetworkMode.none()).memory(MEMORY).start()) {
            Runnable ours = () -> {
                ExecResult r = c.exec("/bin/true");
                if (r.exitCode() != 0) {
                    throw new IllegalStateException("exec /bin/true exited " + r.exitCode() + ": " + r.stderr());
                }
            };
            Runnable runc = () -> BenchSupport.exec(List.of("runc", "exec", runcId, "/bin/true"));
            for (int i = 0; i < warmup; i++) {
                ours.run();
                runc.run();
            }
            List<Double> oursMs = new ArrayList<>();
            List<Double> runcMs = new ArrayList<>();
            for (int i = 0; i < runs; i++) {
                boolean oursFirst = i % 2 == 0;
                time(oursFirst ? ours : runc, oursFirst ? oursMs : runcMs);
                time(oursFirst ? runc : ours, oursFirst ? runcMs : oursMs);
                if (i % 50 == 49) {
                    System.err.printf(Locale.ROOT, "exec round %d/%d, load %s%n", i + 1, runs, loadAverage());
                }
            }
            double ratio = median(oursMs) / median(runcMs);
            return "### `exec /bin/true` in a running container: API (warm JVM) vs `runc exec`\n\n"
                    + "| contender | N | median (ms) | p99 (ms) | min (ms) |\n|---|---:|---:|---:|---:|\n"
                    + row("jcontainers `Container.exec` (warm JVM)", oursMs)
                    + row("`runc exec` (fork+exec of runc included)", runcMs)
                    + String.format(Locale.ROOT, "%nRatio of medians, ours / runc: %.2f; goal <= 0.5. p99 ratio: %.2f.%n%n",
                    ratio, percentile(oursMs, 0.99) / percentile(runcMs, 0.99));
        }
    }

    private static void time(Runnable body, List<Double> into) {
        long t0 = System.nanoTime();
        body.run();
        into.add((System.nanoTime() - t0) / 1e6);
    }

    private static String row(String label, List<Double> ms) {
        return String.format(Locale.ROOT, "| %s | %d | %.2f | %.2f | %.2f |%n", label, ms.size(), median(ms),
                percentile(ms, 0.99), ms.stream().mapToDouble(Double::doubleValue).min().orElseThrow());
    }

    /** {@code runc run -d}: the container keeps the stdio it is given, so it gets /dev/null, not our pipes. */
    private static void detached(List<String> command) throws IOException, InterruptedException {
        File devNull = new File("/dev/null");
        Process p = new ProcessBuilder(command).redirectInput(devNull).redirectOutput(devNull).redirectError(devNull).start();
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IllegalStateException("failed: " + String.join(" ", command));
        }
    }

    // ---- health-check overhead ----

    /** CPU seconds so far: this JVM (all threads), and its reaped children (launch helpers) from /proc/self/stat. */
    private record Cpu(double jvm, double children) {
        static Cpu now() throws IOException {
            var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            String stat = Files.readString(Path.of("/proc/self/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // after the command: state is f[0], so utime..cstime (fields 14..17) are f[11..14]
            long childTicks = Long.parseLong(f[13]) + Long.parseLong(f[14]);
            return new Cpu(os.getProcessCpuTime() / 1e9, childTicks / (double) CLOCK_TICKS_PER_SECOND);
        }

        Cpu minus(Cpu o) {
            return new Cpu(jvm - o.jvm, children - o.children);
        }
    }

    /** One window: the CPU used, and the probes seen (the health log is read every 250 ms in both kinds of window). */
    private record Window(Cpu cpu, int probes) {
    }

    private String healthOverhead() throws Exception {
        List<Window> idle = new ArrayList<>();
        List<Window> probing = new ArrayList<>();
        for (int r = 0; r < rounds + 1; r++) { // round 0 warms up and is dropped
            boolean idleFirst = r % 2 == 0;
            Window a = window(!idleFirst);
            Window b = window(idleFirst);
            if (r > 0) {
                (idleFirst ? idle : probing).add(a);
                (idleFirst ? probing : idle).add(b);
            }
            System.err.printf(Locale.ROOT, "health round %d/%d: %s %s, load %s%n", r, rounds, a, b, loadAverage());
        }
        double idleJvm = idle.stream().mapToDouble(w -> w.cpu.jvm).sum();
        double idleKids = idle.stream().mapToDouble(w -> w.cpu.children).sum();
        double probeJvm = probing.stream().mapToDouble(w -> w.cpu.jvm).sum();
        double probeKids = probing.stream().mapToDouble(w -> w.cpu.children).sum();
        int probes = probing.stream().mapToInt(Window::probes).sum();
        double seconds = (double) rounds * windowSeconds;
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, """
                ### Health-check overhead: CPU per probe (`CMD /bin/true`, interval %d ms)

                %d windows of %d s each, alternating: a running `sleep` container without a check (idle) vs one with
                the check (probing); the benchmark reads the container's health every 250 ms in both.

                | window | seconds | probes | JVM CPU (ms/s) | helpers' CPU (ms/s) |
                |---|---:|---:|---:|---:|
                """, PROBE_INTERVAL.toMillis(), 2 * rounds, windowSeconds));
        sb.append(String.format(Locale.ROOT, "| idle | %.0f | 0 | %.1f | %.1f |%n", seconds, 1000 * idleJvm / seconds,
                1000 * idleKids / seconds));
        sb.append(String.format(Locale.ROOT, "| probing | %.0f | %d | %.1f | %.1f |%n", seconds, probes,
                1000 * probeJvm / seconds, 1000 * probeKids / seconds));
        sb.append(String.format(Locale.ROOT, "%nPer probe, above idle: JVM %.2f ms CPU, launch helpers %.2f ms CPU "
                        + "(%d probes, %.1f probes/s).%n%n", 1000 * (probeJvm - idleJvm) / probes,
                1000 * (probeKids - idleKids) / probes, probes, probes / seconds));
        return sb.toString();
    }

    private Window window(boolean withCheck) throws Exception {
        var builder = engine.containers().builder().image(image).command("sleep", "3600").network(NetworkMode.none())
                .memory(MEMORY);
        builder = withCheck ? builder.healthCheck(HealthCheck.cmd("/bin/true").withInterval(PROBE_INTERVAL))
                : builder.noHealthCheck();
        try (Container c = builder.start()) {
            Thread.sleep(1000); // past the start's own work, and the first probes
            Set<Instant> seen = new HashSet<>();
            Instant from = Instant.now();
            Cpu before = Cpu.now();
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(windowSeconds);
            while (System.nanoTime() < end) {
                Thread.sleep(250);
                HealthStatus h = c.inspect().health();
                if (h != null) {
                    h.log().stream().map(HealthStatus.Probe::start).filter(t -> t.isAfter(from)).forEach(seen::add);
                }
            }
            return new Window(Cpu.now().minus(before), seen.size());
        }
    }

    private void cleanUp() {
        engine.containers().list(true).forEach(c -> engine.containers().get(c.id()).remove(true));
        engine.close();
        if (runcStarted) {
            try {
                BenchSupport.exec(List.of("runc", "delete", "-f", runcId));
            } catch (RuntimeException e) {
                System.err.println("runc clean-up: " + e.getMessage());
            }
        }
    }
}
