package dev.jcontainers.core.container;

import dev.jcontainers.api.Container;
import dev.jcontainers.api.DataSize;
import dev.jcontainers.api.EngineOptions;
import dev.jcontainers.api.EngineOptions.LaunchPreparation;
import dev.jcontainers.api.NetworkMode;
import dev.jcontainers.core.LocalEngine;
import dev.jcontainers.linux.cgroup.CgroupLimits;
import dev.jcontainers.linux.cgroup.CgroupVersion;
import dev.jcontainers.linux.cgroup.Cgroups;
import dev.jcontainers.testkit.RegistryServer;
import dev.jcontainers.testkit.RegistryTest;
import dev.jcontainers.testkit.Requirements;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** cgroup v1: a start through a prepared launch helper, the pool's refill, and what the engine leaves at close. */
@RegistryTest
class PreparedLaunchesTest {
    static RegistryServer registry;

    @TempDir
    static Path fixtures;

    @TempDir
    Path root;

    @Test
    void aStartTakesThePreparedHelperAndTheEngineLeavesNoHelperOrPlaceholderCgroup() throws Exception {
        String image = RuntimeFixture.pushBusybox(registry, fixtures, "prepared/busybox", 1);
        Cgroups cgroups = Cgroups.detect();
        Requirements.require(cgroups.version() == CgroupVersion.V1, "prepared launches are for cgroup v1 hosts");
        Set<String> placeholdersBefore = placeholders(cgroups);
        LocalEngine engine = RuntimeFixture.engine(root);
        try {
            // the first start has nothing prepared; it prepares a batch, attached once its container has exited
            try (Container first = engine.containers().builder().image(image).command("true")
                    .network(NetworkMode.none()).start()) {
                assertThat(first.waitFor(Duration.ofSeconds(30))).isZero();
            }
            Path memory = Path.of("/sys/fs/cgroup/memory", ContainerService.CGROUP_PARENT);
            Set<String> prepared = awaitValue(() -> newPlaceholders(cgroups, placeholdersBefore),
                    s -> s.size() == PreparedLaunches.CAPACITY && s.stream().allMatch(p -> pids(memory.resolve(p)).size() == 1));
            assertThat(prepared).hasSize(PreparedLaunches.CAPACITY);
            for (String placeholder : prepared) {
                assertThat(pids(memory.resolve(placeholder))).hasSize(1); // its zygote, waiting
            }

            try (Container second = engine.containers().builder().image(image).command("sleep", "30")
                    .network(NetworkMode.none()).memory(DataSize.ofMegabytes(48)).start()) {
                long pid = second.inspect().pid();
                Path own = memory.resolve(second.id());
                assertThat(newPlaceholders(cgroups, placeholdersBefore)).hasSize(PreparedLaunches.CAPACITY - 1)
                        .isSubsetOf(prepared); // one was renamed to the container's
                assertThat(pids(own)).containsExactly(Long.toString(pid)); // the zygote is gone, the monitor was never in it
                assertThat(Files.readString(own.resolve("memory.limit_in_bytes")).strip())
                        .isEqualTo(Long.toString(48L << 20));
                assertThat(Files.readString(Path.of("/proc", Long.toString(pid), "cgroup")))
                        .contains("memory:/" + ContainerService.CGROUP_PARENT + "/" + second.id());
            }
        } finally {
            RuntimeFixture.close(engine, root);
        }
        assertThat(newPlaceholders(cgroups, placeholdersBefore)).as("placeholder cgroups left").isEmpty();
        assertThat(ProcessHandle.current().children() // the test registry runs as a child too
                .filter(p -> p.info().command().orElse("").contains("/jc-launch-")).toList()).as("helpers left").isEmpty();
    }

    @Test
    void aOnceEnginePreparesOneHelperAtOpenItsFirstStartTakesItAndNoneAfter() throws Exception {
        String image = RuntimeFixture.pushBusybox(registry, fixtures, "prepared/busybox", 1);
        Cgroups cgroups = Cgroups.detect();
        Requirements.require(cgroups.version() == CgroupVersion.V1, "prepared launches are for cgroup v1 hosts");
        Set<String> placeholdersBefore = placeholders(cgroups);
        LocalEngine engine = new LocalEngine(EngineOptions.builder().root(root).dockerConfig(root.resolve("none.json"))
                .dnsServers(List.of()).launchPreparation(LaunchPreparation.ONCE).build());
        try {
            engine.containers(); // opens the container side: the preparation begins, before any create
            Path memory = Path.of("/sys/fs/cgroup/memory", ContainerService.CGROUP_PARENT);
            Set<String> prepared = awaitValue(() -> newPlaceholders(cgroups, placeholdersBefore),
                    s -> s.size() == 1 && s.stream().allMatch(p -> pids(memory.resolve(p)).size() == 1));
            assertThat(prepared).as("one placeholder with its zygote in it").hasSize(1);
            assertThat(pids(memory.resolve(prepared.iterator().next()))).hasSize(1);

            try (Container first = engine.containers().builder().image(image).command("sleep", "30")
                    .network(NetworkMode.none()).start()) {
                long pid = first.inspect().pid();
                assertThat(pids(memory.resolve(first.id()))).containsExactly(Long.toString(pid));
                assertThat(newPlaceholders(cgroups, placeholdersBefore)).as("the placeholder became the container's")
                        .isEmpty();
            }
            try (Container second = engine.containers().builder().image(image).command("true")
                    .network(NetworkMode.none()).start()) {
                assertThat(second.waitFor(Duration.ofSeconds(30))).isZero();
            }
            Thread.sleep(200); // a refill, if one were (wrongly) started, would have made its cgroups by now
            assertThat(newPlaceholders(cgroups, placeholdersBefore)).as("nothing prepared after the first").isEmpty();
        } finally {
            RuntimeFixture.close(engine, root);
        }
        assertThat(newPlaceholders(cgroups, placeholdersBefore)).as("placeholder cgroups left").isEmpty();
    }

    @Test
    void aOnceHelperThatNoStartTookEndsWithTheEngineWhetherItsContainerSideOpenedOrNot() {
        Requirements.requireRoot();
        Cgroups cgroups = Cgroups.detect();
        Requirements.require(cgroups.version() == CgroupVersion.V1, "prepared launches are for cgroup v1 hosts");
        Set<String> placeholdersBefore = placeholders(cgroups);
        for (boolean openContainers : new boolean[] {true, false}) {
            LocalEngine engine = new LocalEngine(EngineOptions.builder().root(root)
                    .dockerConfig(root.resolve("none.json")).dnsServers(List.of())
                    .launchPreparation(LaunchPreparation.ONCE).build());
            try {
                if (openContainers) {
                    engine.containers();
                }
            } finally {
                RuntimeFixture.close(engine, root); // at once: the preparation may still be under way
            }
            assertThat(newPlaceholders(cgroups, placeholdersBefore)).as("placeholder cgroups left").isEmpty();
        }
        assertThat(ProcessHandle.current().children()
                .filter(p -> p.info().command().orElse("").contains("/jc-launch-")).toList()).as("helpers left").isEmpty();
    }

    @Test
    void theNextEngineRemovesAnEmptyPlaceholderCgroupADeadJvmLeftButNotALiveOnes() throws Exception {
        Requirements.requireRoot();
        Cgroups cgroups = Cgroups.detect();
        Requirements.require(cgroups.version() == CgroupVersion.V1, "prepared launches are for cgroup v1 hosts");
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        String dead = PreparedLaunches.PREFIX + gone.pid() + "-left";
        String live = PreparedLaunches.OWN_PREFIX + "not-attached-yet"; // a live engine's, empty until its attach
        cgroups.create(ContainerService.CGROUP_PARENT, dead, CgroupLimits.builder().build());
        cgroups.create(ContainerService.CGROUP_PARENT, live, CgroupLimits.builder().build());
        try (PreparedLaunches pool = PreparedLaunches.keepingReady(cgroups, ContainerService.CGROUP_PARENT, () -> {
            throw new AssertionError("nothing is prepared before a start");
        }, Runnable::run)) {
            assertThat(cgroups.children(ContainerService.CGROUP_PARENT)).doesNotContain(dead).contains(live);
        } finally {
            cgroups.open(ContainerService.CGROUP_PARENT, live).destroy();
        }
    }

    private static Set<String> placeholders(Cgroups cgroups) {
        return cgroups.children(ContainerService.CGROUP_PARENT).stream()
                .filter(n -> n.startsWith(PreparedLaunches.OWN_PREFIX)).collect(Collectors.toSet());
    }

    /** Only this JVM's placeholders (other engines on the host may prepare theirs meanwhile), new since {@code before}. */
    private static Set<String> newPlaceholders(Cgroups cgroups, Set<String> before) {
        Set<String> now = placeholders(cgroups);
        now.removeAll(before);
        return now;
    }

    private static List<String> pids(Path cgroup) {
        try {
            return Files.readAllLines(cgroup.resolve("cgroup.procs"));
        } catch (java.nio.file.NoSuchFileException e) {
            return List.of(); // listed in the first hierarchy, not made in this one yet
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static <T> T awaitValue(Supplier<T> value, java.util.function.Predicate<T> done) throws InterruptedException {
        T v = value.get();
        for (int i = 0; i < 200 && !done.test(v); i++) {
            Thread.sleep(10);
            v = value.get();
        }
        return v;
    }
}
