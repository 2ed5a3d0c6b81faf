package dev.jcontainers.core.container;

import dev.jcontainers.api.Container;
import dev.jcontainers.api.ContainerStats;
import dev.jcontainers.api.ContainerStatus;
import dev.jcontainers.core.LocalEngine;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Limits that protect the host (pids, cpu) and the absence of leaks over many containers, as root. */
@RuntimeTest(repo = "robust/busybox")
class LifecycleRobustnessTest {
    static LocalEngine engine;
    @RuntimeTest.Image
    static String image;

    @RuntimeTest.Root
    static Path root;

    @Test
    void aPidsLimitStopsAForkBombAndTheHostStaysFine() throws Exception {
        // Each b forks a background pipeline of two more b's and returns; PID 1 then becomes a sleep, so the
        // bomb churns on in the container (processes die when fork fails, others take their slots).
        Container c = engine.containers().builder().image(image).pidsLimit(32)
                .command("sh", "-c", "b() { b | b & }; b; exec sleep 1000").start();
        String id = c.id();
        try {
            long max = 0;
            long deadline = System.nanoTime() + Duration.ofMillis(1500).toNanos();
            while (System.nanoTime() < deadline) {
                max = Math.max(max, c.stats().pidsCurrent());
                Thread.sleep(20);
            }
            Path events = pidsDir(id).resolve("pids.events");
            long refusedForks = Long.parseLong(Files.readString(events).replaceAll("(?s).*max\\s+(\\d+).*", "$1"));
            System.out.printf("[pids] limit 32: highest pids.current seen %d, forks refused %d%n", max, refusedForks);
            assertThat(max).isBetween(20L, 32L);
            assertThat(refusedForks).as("forks refused by the pids controller").isPositive();
            assertThat(c.status()).isEqualTo(ContainerStatus.RUNNING);

            // The host still forks.
            Process host = new ProcessBuilder("true").start();
            assertThat(host.waitFor(5, TimeUnit.SECONDS)).isTrue();
            assertThat(host.exitValue()).isZero();

            // PID 1 is a sleep, which ignores SIGTERM in its namespace: stop has to SIGKILL.
            c.stop(Duration.ofMillis(300));
            assertThat(c.exitCode()).hasValue(137);
            assertThat(pidsDir(id)).doesNotExist();
        } finally {
            c.remove(true);
        }
        assertThat(root.resolve("containers").resolve(id)).doesNotExist();
        assertThat(HostFootprint.cgroupsLeft(ContainerService.CGROUP_PARENT, List.of(id))).isEmpty();
    }

    @Test
    void halfACpuKeepsABusyLoopAtHalfOfWallTime() throws Exception {
        try (Container c = engine.containers().builder().image(image).cpus(0.5)
                .command("sh", "-c", "while :; do :; done").start()) {
            long start = System.nanoTime();
            ContainerStats first = c.stats();
            Thread.sleep(2000);
            ContainerStats last = c.stats();
            long wall = System.nanoTime() - start;
            double ratio = (double) last.cpuUsageNanos() / wall;
            System.out.printf("[cpu] cpus=0.5: %.0f ms cpu in %.0f ms wall, ratio %.3f%n",
                    last.cpuUsageNanos() / 1e6, wall / 1e6, ratio);
            assertThat(first.cpuUsageNanos()).isNotNegative();
            // at most about half; more than nothing, so the loop did run (the machine's two cores are shared)
            assertThat(ratio).isLessThanOrEqualTo(0.6).isGreaterThan(0.1);
            assertThat(last.pidsCurrent()).isEqualTo(1);
            assertThat(last.memoryUsage()).isPositive();
        }
    }

    @Test
    void manyRunRemoveCyclesAndConcurrentStartsLeakNothing() throws Exception {
        Set<String> ids = ConcurrentHashMap.newKeySet();
        // warm up: helper extraction, cgroup detection, the exit watcher's carrier threads
        runTrueAndRemove(ids);
        engine.containers().awaitRemovals(); // removal deletes directories in the background
        engine.containers().awaitPreparedLaunches(); // and the next helpers are prepared after an exit
        HostFootprint before = HostFootprint.of(root);

        long t0 = System.nanoTime();
        for (int i = 0; i < 200; i++) {
            runTrueAndRemove(ids);
        }
        long sequential = System.nanoTime() - t0;

        long t1 = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(20);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Integer>> exits = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                exits.add(pool.submit(() -> {
                    go.await();
                    try (Container c = engine.containers().builder().image(image).command("sleep", "0.3").start()) {
                        ids.add(c.id());
                        return c.waitFor(Duration.ofSeconds(30));
                    }
                }));
            }
            go.countDown();
            for (Future<Integer> exit : exits) {
                assertThat(exit.get(60, TimeUnit.SECONDS)).isZero();
            }
        } finally {
            pool.shutdown();
            assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
        long concurrent = System.nanoTime() - t1;

        engine.containers().awaitRemovals();
        engine.containers().awaitPreparedLaunches();
        HostFootprint after = HostFootprint.awaitBack(root, before, 5000);
        System.out.printf("[leaks] 200 run/remove cycles in %d ms (%.1f ms each), 20 concurrent in %d ms;%n"
                        + "        before %s%n        after  %s%n", sequential / 1_000_000,
                sequential / 1e6 / 200, concurrent / 1_000_000, before, after);
        assertThat(ids).hasSize(221);
        assertThat(after.notAbove(before)).as("after %s, before %s", after, before).isTrue();
        assertThat(after.mounts()).isZero();
        assertThat(after.containerEntries()).isZero();
        assertThat(HostFootprint.cgroupsLeft(ContainerService.CGROUP_PARENT, ids)).isEmpty();
        assertThat(engine.containers().list(true)).isEmpty();
    }

    private static void runTrueAndRemove(Set<String> ids) {
        Container c = engine.containers().builder().image(image).command("/bin/true").start();
        ids.add(c.id());
        assertThat(c.waitFor(Duration.ofSeconds(20))).isZero();
        c.remove(false);
    }

    /** The container's pids cgroup: v1's pids hierarchy, or the one v2 directory. */
    private static Path pidsDir(String id) {
        Path v1 = Path.of("/sys/fs/cgroup/pids", ContainerService.CGROUP_PARENT, id);
        Path v2 = Path.of("/sys/fs/cgroup", ContainerService.CGROUP_PARENT, id);
        return Files.isDirectory(Path.of("/sys/fs/cgroup/pids")) ? v1 : v2;
    }
}
