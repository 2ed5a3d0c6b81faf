package dev.jcontainers.core.container;

import dev.jcontainers.api.Container;
import dev.jcontainers.api.ContainerInfo;
import dev.jcontainers.api.ContainerStatus;
import dev.jcontainers.api.FileChange;
import dev.jcontainers.api.RestartPolicy;
import dev.jcontainers.core.LocalEngine;
import dev.jcontainers.linux.mount.MountInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An exited container holds no mount, as with Docker: its overlay rootfs goes when its run ends, whoever sees
 * the end (the engine that started it, or another one), comes back for a new run or a copy, and stays while a
 * restart policy restarts the container.
 */
@RuntimeTest(repo = "unmount/busybox")
class RootfsUnmountTest {
    static LocalEngine engine;
    @RuntimeTest.Image
    static String image;

    @RuntimeTest.Root
    static Path root;

    @TempDir
    Path host;

    private static Optional<MountInfo> rootfsMount(String id) {
        Path rootfs = root.resolve("containers").resolve(id).resolve("rootfs");
        return MountInfo.self().stream().filter(m -> m.mountPoint().equals(rootfs)).findFirst();
    }

    @Test
    void aSandboxIsUnmountedAtItsExitAndARestartSeesWhatItWrote() {
        try (Container c = engine.containers().builder().image(image)
                .command("sh", "-c", "cat /kept 2>/dev/null; echo run >> /kept").create()) {
            assertThat(rootfsMount(c.id())).as("mounted at create").isPresent();
            c.start();
            assertThat(c.waitFor(Duration.ofSeconds(20))).isZero();
            assertThat(rootfsMount(c.id())).as("after its exit").isEmpty();

            c.start();
            assertThat(c.waitFor(Duration.ofSeconds(20))).isZero();
            assertThat(c.logs().stdout()).as("the second run read the first run's file").isEqualTo("run\n");
            assertThat(rootfsMount(c.id())).isEmpty();
            c.remove(false);
            assertThat(rootfsMount(c.id())).isEmpty();
            assertThat(root.resolve("containers").resolve(c.id())).doesNotExist();
        }
    }

    @Test
    void aRunningContainerHasItsOverlayAndExecIsUnaffected() {
        try (Container c = engine.containers().builder().image(image).command("sleep", "600").start()) {
            assertThat(rootfsMount(c.id())).hasValueSatisfying(m -> assertThat(m.fsType()).isEqualTo("overlay"));
            assertThat(c.exec("sh", "-c", "echo x > /f && cat /f").stdout()).isEqualTo("x\n");
            c.stop(Duration.ofSeconds(1));
            assertThat(rootfsMount(c.id())).isEmpty();
        }
    }

    @Test
    void anotherEngineThatSeesTheExitUnmountsAndStartsItAgain() throws Exception {
        Container c = engine.containers().builder().image(image).detached()
                .command("sh", "-c", "echo run >> /kept; cat /kept | wc -l").start();
        String id = c.id();
        try (LocalEngine other = RuntimeFixture.engine(root)) {
            Container seen = other.containers().get(id);
            assertThat(seen.waitFor(Duration.ofSeconds(20))).isZero();
            assertThat(c.waitFor(Duration.ofSeconds(20))).isZero();
            assertThat(rootfsMount(id)).isEmpty();

            seen.start(); // the other engine mounts it for its run, and unmounts it when it sees the end
            assertThat(seen.waitFor(Duration.ofSeconds(20))).isZero();
            assertThat(seen.logs().stdout()).isEqualTo("1\n2\n");
            assertThat(seen.status()).isEqualTo(ContainerStatus.EXITED);
            assertThat(rootfsMount(id)).isEmpty();
            seen.remove(false);
        }
        assertThat(root.resolve("containers").resolve(id)).doesNotExist();
    }

    @Test
    void copiesOutOfAndIntoAnExitedContainerMountItOnlyForTheCopy() throws IOException {
        try (Container c = engine.containers().builder().image(image)
                .command("sh", "-c", "test -f /in && cat /in; echo made > /out").start()) {
            assertThat(c.waitFor(Duration.ofSeconds(20))).isZero();
            assertThat(rootfsMount(c.id())).isEmpty();

            c.copyFrom("/out", host.resolve("out"));
            assertThat(host.resolve("out")).hasContent("made");
            assertThat(rootfsMount(c.id())).as("after the copy out").isEmpty();
            c.copyTo(Files.writeString(host.resolve("in"), "copied in\n"), "/in");
            assertThat(rootfsMount(c.id())).as("after the copy in").isEmpty();

            c.start();
            assertThat(c.waitFor(Duration.ofSeconds(20))).isZero();
            assertThat(c.logs().stdout()).isEqualTo("copied in\n");
            assertThat(rootfsMount(c.id())).isEmpty();
        }
    }

    @Test
    void diffAndCommitOfAnExitedContainerReadItsUpperDirectoryUnmounted() {
        try (Container c = engine.containers().builder().image(image).command("sh", "-c", "echo made > /made")
                .start()) {
            assertThat(c.waitFor(Duration.ofSeconds(20))).isZero();
            assertThat(c.diff()).contains(new FileChange(FileChange.Kind.ADDED, "/made"));
            String committed = "unmount/committed:1";
            c.commit(committed, null);
            assertThat(rootfsMount(c.id())).isEmpty();
            try (Container next = engine.containers().builder().image(committed).command("cat", "/made").start()) {
                assertThat(next.waitFor(Duration.ofSeconds(20))).isZero();
                assertThat(next.logs().stdout()).isEqualTo("made\n");
            } finally {
                engine.images().remove(committed, true);
            }
        }
    }

    @Test
    void aRestartingContainerKeepsItsRootfsUntilItsLastRunEnds() throws Exception {
        try (Container c = engine.containers().builder().image(image).restartPolicy(RestartPolicy.always())
                .command("sh", "-c", "echo run >> /runs; sleep 0.1; exit 1").start()) {
            ContainerInfo info = c.inspect();
            for (int i = 0; i < 2000 && info.restartCount() < 3; i++) {
                assertThat(rootfsMount(c.id())).as("mounted while " + info.status()).isPresent();
                Thread.sleep(5);
                info = c.inspect();
            }
            assertThat(info.restartCount()).isGreaterThanOrEqualTo(3);
            assertThat(rootfsMount(c.id())).isPresent();
            c.stop(Duration.ofSeconds(1));
            assertThat(c.status()).isEqualTo(ContainerStatus.EXITED);
            assertThat(rootfsMount(c.id())).isEmpty();
            Path runs = root.resolve("containers").resolve(c.id()).resolve("upper/runs");
            assertThat(Files.readAllLines(runs)).hasSizeGreaterThanOrEqualTo(4).containsOnly("run");
        }
    }
}
