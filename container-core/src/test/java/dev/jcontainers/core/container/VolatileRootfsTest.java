package dev.jcontainers.core.container;

import dev.jcontainers.api.Container;
import dev.jcontainers.api.ContainerStateException;
import dev.jcontainers.api.NetworkMode;
import dev.jcontainers.core.LocalEngine;
import dev.jcontainers.linux.mount.MountInfo;
import dev.jcontainers.linux.mount.Mounts;
import org.junit.jupiter.api.Test;

import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A sandbox's rootfs is a volatile overlay (no syncs, none at unmount); a detached container's is not, and a sandbox
 * that becomes detached keeps its files and gets a durable rootfs at its next start.
 */
@RuntimeTest(repo = "volatile/busybox", layers = 1)
class VolatileRootfsTest {
    static LocalEngine engine;
    @RuntimeTest.Image
    static String image;

    @RuntimeTest.Root
    static Path root;

    @Test
    void aSandboxsRootfsIsVolatileAndADetachedContainersIsNot() {
        Container sandbox = engine.containers().builder().image(image).command("true").network(NetworkMode.none()).create();
        Container detached = engine.containers().builder().image(image).command("true").network(NetworkMode.none())
                .detached().create();
        try {
            assertThat(isVolatile(sandbox)).isTrue();
            assertThat(isVolatile(detached)).isFalse();
        } finally {
            sandbox.close();
            detached.remove(true);
        }
    }

    @Test
    void aDetachedSandboxKeepsItsFilesAndStartsAgainOnADurableRootfs() throws Exception {
        Container c = engine.containers().builder().image(image).network(NetworkMode.none())
                .command("sh", "-c", "echo run >> /runs; cat /runs").create();
        try {
            c.start();
            assertThat(c.waitFor(Duration.ofSeconds(20))).isZero();
            c.detach();
            Path dir = root.resolve("containers").resolve(c.id());
            assertThat(Mounts.isMountPoint(dir.resolve("rootfs"))).as("unmounted at detach").isFalse();
            assertThat(Files.readString(dir.resolve("upper/runs"))).isEqualTo("run\n");

            c.start();
            assertThat(c.waitFor(Duration.ofSeconds(20))).isZero();
            assertThat(c.logs().stdout()).endsWith("run\nrun\n");
            // unmounted at its exit, as every run's end: a volatile mount would have left its mark in work/
            assertThat(dir.resolve("work").resolve(VOLATILE_MARK)).as("mounted durable").doesNotExist();
        } finally {
            c.remove(true);
        }
    }

    @Test
    void aSandboxWhoseRootfsIsInUseIsNotDetached() throws Exception {
        Container c = engine.containers().builder().image(image).command("true").network(NetworkMode.none()).create();
        Path rootfs = root.resolve("containers").resolve(c.id()).resolve("rootfs");
        try {
            try (FileChannel open = FileChannel.open(rootfs.resolve("bin/sh"))) {
                assertThatThrownBy(c::detach).isInstanceOf(ContainerStateException.class).hasMessageContaining("in use");
                assertThat(isVolatile(c)).as("still mounted, as it was").isTrue();
            }
            c.detach();
            assertThat(Mounts.isMountPoint(rootfs)).isFalse();
        } finally {
            c.remove(true);
        }
    }

    @Test
    void aStoppedSandboxWhoseVolatileRootfsWasUnmountedAtItsExitStartsAgain() throws Exception {
        try (Container c = engine.containers().builder().image(image).network(NetworkMode.none())
                .command("sh", "-c", "echo run >> /runs; cat /runs").start()) {
            assertThat(c.waitFor(Duration.ofSeconds(20))).isZero();
            Path dir = root.resolve("containers").resolve(c.id());
            assertThat(Mounts.isMountPoint(dir.resolve("rootfs"))).as("unmounted at the end of its run").isFalse();
            assertThat(dir.resolve("work").resolve(VOLATILE_MARK)).as("left by the volatile mount").exists();

            c.start(); // lifts the mark and mounts it again, volatile once more
            assertThat(c.waitFor(Duration.ofSeconds(20))).isZero();
            assertThat(c.logs().stdout()).endsWith("run\nrun\n");
            assertThat(dir.resolve("work").resolve(VOLATILE_MARK)).as("mounted volatile again").exists();
        }
    }

    /** Where a volatile overlay leaves its mark in the work directory (overlayfs's incompat/volatile). */
    private static final String VOLATILE_MARK = "work/incompat/volatile";

    /** Linux shows the option as {@code volatile}, since 6.15 as {@code fsync=volatile}. */
    private static boolean isVolatile(Container c) {
        MountInfo rootfs = Mounts.find(root.resolve("containers").resolve(c.id()).resolve("rootfs")).orElseThrow();
        return List.of(rootfs.superOptions().split(",")).stream().anyMatch(o -> o.equals("volatile") || o.equals("fsync=volatile"));
    }
}
