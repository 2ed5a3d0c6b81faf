package dev.jcontainers.benchmarks;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Warm start-to-exit of two builds in one JVM, against runc: each build's engine ({@link WarmAbEngine}) is loaded by a
 * class loader of its own over that build's benchmarks jar, so both share this JVM, its warm-up and the machine's load
 * moment by moment. Every round runs the four contenders (A, B, runc on a plain rootfs, runc on a fresh overlay) in a
 * fresh random order, so that each follows each other alike: an engine's background work after a run (refills, trash)
 * lands on whoever comes next, and a fixed order would charge it to one contender. Run by {@code benchmarks/warm-ab.sh}.
 *
 * <p>Arguments: RUNS WARMUP ENGINE_CLASSES JAR_A JAR_B, where ENGINE_CLASSES holds WarmAbEngine compiled on its own
 * (it precedes each jar, which may be a build that lacks it). {@code -Dsettle=MS} pauses after each run.
 */
public final class WarmAb {
    private WarmAb() {
    }

    public static void main(String[] args) throws Exception {
        int runs = Integer.parseInt(args[0]);
        int warmup = Integer.parseInt(args[1]);
        Path engineClasses = Path.of(args[2]);
        List<String> jars = List.of(args[3], args[4]);
        long settle = Long.getLong("settle", 0);
        List<Class<?>> engineTypes = new ArrayList<>();
        for (String jar : jars) {
            ClassLoader loader = new URLClassLoader(new URL[] {engineClasses.toUri().toURL(), Path.of(jar).toUri().toURL()},
                    ClassLoader.getPlatformClassLoader());
            engineTypes.add(loader.loadClass(WarmAbEngine.class.getName()));
        }
        Class<?> b = engineTypes.get(1);
        Path base = Files.createTempDirectory(Path.of("/var/tmp"), "jc-warm-ab-");
        String image = (String) b.getMethod("publish").invoke(null);
        List<AutoCloseable> engines = new ArrayList<>();
        String runcPrefix = "jcwarmab-" + ProcessHandle.current().pid() + "-";
        int[] runcIds = {0};
        try {
            for (int i = 0; i < 2; i++) {
                engines.add((AutoCloseable) engineTypes.get(i).getConstructor(String.class, String.class)
                        .newInstance(base.resolve("engine-" + i).toString(), image));
            }
            String[] bundles = (String[]) b.getMethod("runcBundles").invoke(engines.get(1));
            Method runc = b.getMethod("runc", String.class, String.class);
            Method runcOverlay = b.getMethod("runcOnFreshOverlay", String.class, String.class);
            List<String> names = List.of("A " + jars.get(0), "B " + jars.get(1), "`runc run`, plain rootfs dir",
                    "`runc run` + fresh overlay");
            List<Supplier<double[]>> bodies = List.of(supplier(engines.get(0)), supplier(engines.get(1)),
                    timed(() -> runc.invoke(null, bundles[0], runcPrefix + ++runcIds[0])),
                    timed(() -> runcOverlay.invoke(engines.get(1), bundles[1], runcPrefix + ++runcIds[0])));
            for (int w = 0; w < warmup; w++) {
                bodies.forEach(Supplier::get);
            }
            List<List<double[]>> times = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
            List<Integer> order = new ArrayList<>(List.of(0, 1, 2, 3));
            Random random = new Random(42);
            System.err.println("load before: " + BenchSupport.loadAverage());
            for (int r = 0; r < runs; r++) {
                Collections.shuffle(order, random);
                for (int c : order) {
                    times.get(c).add(bodies.get(c).get());
                    if (settle > 0) {
                        Thread.sleep(settle);
                    }
                }
            }
            System.err.println("load after: " + BenchSupport.loadAverage());
            System.out.println(report(names, times, runs));
        } finally {
            for (AutoCloseable e : engines) {
                e.close();
            }
            b.getMethod("unpublish").invoke(null);
            cleanUp(base);
        }
    }

    private static String report(List<String> names, List<List<double[]>> times, int runs) {
        double runcPlain = percentile(times.get(2), 0, 0.5);
        double runcOverlay = percentile(times.get(3), 0, 0.5);
        StringBuilder sb = new StringBuilder("| contender | N | median (ms) | p90 | min | vs runc plain | vs runc + overlay "
                + "| create | start | waitFor | remove |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (int k = 0; k < names.size(); k++) {
            List<double[]> t = times.get(k);
            double median = percentile(t, 0, 0.5);
            sb.append(String.format(Locale.ROOT, "| %s | %d | %.1f | %.1f | %.1f | %.2fx | %.2fx |", names.get(k), t.size(),
                    median, percentile(t, 0, 0.9), percentile(t, 0, 0), median / runcPlain, median / runcOverlay));
            for (int phase = 1; phase <= 4; phase++) {
                sb.append(t.getFirst().length > phase ? String.format(Locale.ROOT, " %.2f |", percentile(t, phase, 0.5)) : " |");
            }
            sb.append('\n');
        }
        List<Double> paired = new ArrayList<>();
        for (int r = 0; r < runs; r++) {
            paired.add(times.get(1).get(r)[0] - times.get(0).get(r)[0]);
        }
        Collections.sort(paired);
        return sb.append(String.format(Locale.ROOT, "%nB / A, ratio of medians: %.3f; B - A paired by round, median: %+.2f ms%n",
                percentile(times.get(1), 0, 0.5) / percentile(times.get(0), 0, 0.5), paired.get(paired.size() / 2))).toString();
    }

    private static double percentile(List<double[]> runs, int column, double q) {
        double[] v = runs.stream().mapToDouble(x -> x[column]).sorted().toArray();
        return v[(int) Math.min(v.length - 1, Math.floor(q * v.length))];
    }

    @SuppressWarnings("unchecked")
    private static Supplier<double[]> supplier(Object engine) {
        return (Supplier<double[]>) engine;
    }

    private interface Body {
        void run() throws Exception;
    }

    private static Supplier<double[]> timed(Body body) {
        return () -> {
            long start = System.nanoTime();
            try {
                body.run();
            } catch (InvocationTargetException e) {
                throw new IllegalStateException(e.getCause());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            return new double[] {(System.nanoTime() - start) / 1e6};
        };
    }

    /** Unmounts what a failed run may have left under {@code base} (deepest first), then deletes it. */
    private static void cleanUp(Path base) throws IOException, InterruptedException {
        List<String> mounts;
        try (Stream<String> lines = Files.lines(Path.of("/proc/self/mountinfo"))) {
            mounts = lines.map(l -> l.split(" ")[4]).filter(m -> m.startsWith(base.toString()))
                    .sorted(Comparator.comparingInt(String::length).reversed()).toList();
        }
        for (String m : mounts) {
            new ProcessBuilder("umount", "-l", m).inheritIO().start().waitFor();
        }
        RunBenchmark.deleteTree(base);
    }
}
