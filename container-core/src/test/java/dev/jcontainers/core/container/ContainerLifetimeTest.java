package dev.jcontainers.core.container;

import dev.jcontainers.api.Container;
import dev.jcontainers.api.ContainerInfo;
import dev.jcontainers.api.ContainerStatus;
import dev.jcontainers.api.EngineOptions;
import dev.jcontainers.api.PullOptions;
import dev.jcontainers.core.LocalEngine;
import dev.jcontainers.linux.mount.MountInfo;
import dev.jcontainers.testkit.FixtureImage;
import dev.jcontainers.testkit.RegistryServer;
import dev.jcontainers.testkit.RegistryTest;
import dev.jcontainers.testkit.Requirements;
import dev.jcontainers.testkit.Skopeo;
import dev.jcontainers.testkit.TestImages;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Containers and the death or exit of the JVM that made them, at engine level: a child JVM on the same root
 * starts a container; a sandbox one dies with it, a detached one is taken over by this JVM.
 */
@RegistryTest
class ContainerLifetimeTest {
    static RegistryServer registry;
    static String image;

    @TempDir
    static Path fixtures;

    @TempDir
    static Path root;

    private Process child;
    private long containerPid = -1;

    @BeforeAll
    static void setUp() {
        Requirements.requireRoot();
        Requirements.requireTool("skopeo");
        FixtureImage busybox = new TestImages(fixtures).singleLayer("lifetime");
        Skopeo.push(busybox, registry, "lifetime/busybox:1");
        image = registry.host() + "/lifetime/busybox:1";
        try (LocalEngine engine = newEngine()) {
            engine.images().pull(image, PullOptions.defaults());
        }
    }

    @AfterEach
    void killLeftovers() throws Exception {
        if (child != null) {
            child.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        if (containerPid > 0) {
            ProcessHandle.of(containerPid).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    @AfterAll
    static void tearDown() {
        if (root != null && Files.isDirectory(root)) {
            // collects what a failed test left: sandboxes of dead owners on open, the rest on close
            try (LocalEngine engine = newEngine()) {
                engine.containers().prune();
            }
            assertThat(MountInfo.self()).noneMatch(m -> m.mountPoint().startsWith(root));
        }
    }

    private static LocalEngine newEngine() {
        return new LocalEngine(EngineOptions.builder().root(root).dockerConfig(root.resolve("none.json")).build());
    }

    /** Starts the child JVM; returns the container id it printed and records the container's pid. */
    private String startChild(String mode, String... command) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> args = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), ContainerLifetimeChild.class.getName(),
                mode, root.toString(), image));
        args.addAll(List.of(command));
        child = new ProcessBuilder(args).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
        String line = out.readLine();
        assertThat(line).as("container id and pid from the child JVM").isNotNull().matches("[0-9a-f]{64} \\d+");
        String[] parts = line.split(" ");
        containerPid = Long.parseLong(parts[1]);
        assertThat(ProcessHandle.of(containerPid)).as("container process").isPresent();
        return parts[0];
    }

    @Test
    void aSandboxDiesWithItsJvmAndTheNextEngineRemovesWhatItLeft() throws Exception {
        String id = startChild("sandbox", "sleep", "1000");
        Path dir = root.resolve("containers").resolve(id);
        assertThat(dir).isDirectory();

        long killed = System.nanoTime();
        child.destroyForcibly(); // SIGKILL: no shutdown hook runs; only the helper's socket closes
        assertThat(child.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(awaitGone(containerPid, Duration.ofSeconds(2))).as("container process gone within 2 s").isTrue();
        System.out.printf("[lifetime] sandbox gone %d ms after its JVM was SIGKILLed%n",
                (System.nanoTime() - killed) / 1_000_000);
        // the dead JVM could not clean up
        assertThat(dir).isDirectory();
        assertThat(MountInfo.self()).anyMatch(m -> m.mountPoint().equals(dir.resolve("rootfs")));

        try (LocalEngine next = newEngine()) {
            assertThat(next.containers().list(true)).noneMatch(i -> i.id().equals(id));
        }
        assertThat(dir).doesNotExist();
        assertThat(MountInfo.self()).noneMatch(m -> m.mountPoint().toString().contains(id));
        assertThat(HostFootprint.cgroupsLeft(ContainerService.CGROUP_PARENT, List.of(id))).isEmpty();
    }

    @Test
    void aDetachedContainerOutlivesItsJvmAndThisOneControlsIt() throws Exception {
        String id = startChild("detached", "sh", "-c",
                "trap 'echo bye; exit 143' TERM; echo hello; while :; do sleep 0.1; done");
        assertThat(child.waitFor(20, TimeUnit.SECONDS)).as("child JVM exits normally").isTrue();
        assertThat(child.exitValue()).isZero();

        try (LocalEngine engine = newEngine()) {
            Container c = engine.containers().get(id);
            assertThat(c.status()).isEqualTo(ContainerStatus.RUNNING);
            assertThat(engine.containers().list(false)).extracting(ContainerInfo::id).contains(id);
            assertThat(c.inspect().pid()).isEqualTo(containerPid);
            assertThat(awaitLog(c, "hello\n")).isTrue();

            c.stop(Duration.ofSeconds(5));
            assertThat(c.waitFor(Duration.ofSeconds(5))).isEqualTo(143);
            assertThat(c.status()).isEqualTo(ContainerStatus.EXITED);
            assertThat(c.logs().stdout()).isEqualTo("hello\nbye\n");
            assertThat(awaitGone(containerPid, Duration.ofSeconds(2))).isTrue();

            c.remove(false);
            assertThat(engine.containers().list(true)).noneMatch(i -> i.id().equals(id));
        }
        assertThat(root.resolve("containers").resolve(id)).doesNotExist();
        assertThat(MountInfo.self()).noneMatch(m -> m.mountPoint().toString().contains(id));
        assertThat(HostFootprint.cgroupsLeft(ContainerService.CGROUP_PARENT, List.of(id))).isEmpty();
    }

    @Test
    void aDetachedContainerThatEndedUnwatchedIsUnmountedByTheNextEngine(@TempDir Path host) throws Exception {
        String id = startChild("detached", "sh", "-c", "echo kept > /kept; sleep 1");
        assertThat(child.waitFor(20, TimeUnit.SECONDS)).as("child JVM exits normally").isTrue();
        assertThat(awaitGone(containerPid, Duration.ofSeconds(20))).isTrue();
        Path rootfs = root.resolve("containers").resolve(id).resolve("rootfs");
        assertThat(MountInfo.self()).as("no engine has seen the exit").anyMatch(m -> m.mountPoint().equals(rootfs));

        try (LocalEngine engine = newEngine()) {
            engine.containers(); // opens the container service: its first look at the containers on the root
            assertThat(MountInfo.self()).as("after the next engine's first look")
                    .noneMatch(m -> m.mountPoint().equals(rootfs));
            Container c = engine.containers().get(id);
            assertThat(c.status()).isEqualTo(ContainerStatus.EXITED);
            c.copyFrom("/kept", host.resolve("kept"));
            assertThat(host.resolve("kept")).hasContent("kept");
            assertThat(MountInfo.self()).as("after the copy").noneMatch(m -> m.mountPoint().equals(rootfs));
            c.remove(false);
        }
        assertThat(MountInfo.self()).noneMatch(m -> m.mountPoint().toString().contains(id));
    }

    private static boolean awaitLog(Container c, String expected) throws InterruptedException {
        for (int i = 0; i < 100; i++) {
            if (c.logs().stdout().equals(expected)) {
                return true;
            }
            Thread.sleep(20);
        }
        return false;
    }

    private static boolean awaitGone(long pid, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (Files.exists(Path.of("/proc", Long.toString(pid)))) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(10);
        }
        return true;
    }
}
