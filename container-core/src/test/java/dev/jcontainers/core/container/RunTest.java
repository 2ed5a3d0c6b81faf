package dev.jcontainers.core.container;

import dev.jcontainers.api.Container;
import dev.jcontainers.api.ContainerInfo;
import dev.jcontainers.api.ContainerStateException;
import dev.jcontainers.api.ContainerStatus;
import dev.jcontainers.api.DataSize;
import dev.jcontainers.api.LogLine;
import dev.jcontainers.api.NamespaceMode;
import dev.jcontainers.api.NetworkMode;
import dev.jcontainers.api.Wait;
import dev.jcontainers.core.LocalEngine;
import dev.jcontainers.linux.mount.MountInfo;
import dev.jcontainers.testkit.Requirements;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Real containers from a pulled busybox image, as root on the real kernel: the seed's claims, observed. */
@RuntimeTest(repo = "run/busybox", layers = 2)
class RunTest {
    static LocalEngine engine;
    @RuntimeTest.Image
    static String image;

    @RuntimeTest.Root
    static Path root;

    private Container run(String... command) {
        return engine.containers().builder().image(image).command(command).start();
    }

    @Test
    void theProcessIsPid1InItsOwnNamespacesWithItsOwnHostname() throws Exception {
        try (Container c = engine.containers().builder().image(image).hostname("box")
                .command("sh", "-c", "echo pid=$$; hostname; for n in pid uts net ipc mnt cgroup; do readlink /proc/self/ns/$n; done")
                .start()) {
            assertThat(c.waitFor(Duration.ofSeconds(20))).isZero();
            List<String> lines = c.logs().stdout().lines().toList();
            assertThat(lines.get(0)).isEqualTo("pid=1");
            assertThat(lines.get(1)).isEqualTo("box");
            List<String> host = List.of("pid", "uts", "net", "ipc", "mnt", "cgroup").stream()
                    .map(ns -> readLink("/proc/self/ns/" + ns)).toList();
            assertThat(lines.subList(2, 8)).doesNotContainAnyElementsOf(host);
            assertThat(c.inspect().pid()).isNotEqualTo(1);
            assertThat(c.status()).isEqualTo(ContainerStatus.EXITED);
        }
    }

    @Test
    void dockersDefaultCapabilitiesAndSeccompProfileApply() {
        try (Container c = run("sh", "-c", "grep -E '^(CapBnd|CapEff|Seccomp):' /proc/self/status; mount -t tmpfs x /mnt; echo mount=$?")) {
            assertThat(c.waitFor(Duration.ofSeconds(20))).isZero();
            String out = c.logs().stdout();
            assertThat(out).contains("CapBnd:\t00000000a80425fb", "CapEff:\t00000000a80425fb", "Seccomp:\t2")
                    .contains("mount=1").doesNotContain("mount=0");
        }
    }

    @Test
    void aTimeNamespaceShiftsTheContainersBootClock() throws Exception {
        double hostUptime = Double.parseDouble(Files.readString(Path.of("/proc/uptime")).split(" ")[0]);
        try (Container c = engine.containers().builder().image(image)
                .clockOffsets(Duration.ofDays(2), Duration.ofDays(1))
                .command("sh", "-c", "cut -d' ' -f1 /proc/uptime; readlink /proc/self/ns/time").start()) {
            assertThat(c.waitFor(Duration.ofSeconds(20))).isZero();
            List<String> lines = c.logs().stdout().lines().toList();
            double uptime = Double.parseDouble(lines.get(0));
            assertThat(uptime - hostUptime).isBetween(86_400.0 - 5, 86_400.0 + 60);
            assertThat(lines.get(1)).isNotEqualTo(readLink("/proc/self/ns/time"));
        }
    }

    @Test
    void blockIoThrottlesReachTheCgroup() throws Exception {
        Path device = Path.of("/dev/vda");
        Requirements.require(Files.exists(device), "needs the block device /dev/vda");
        try (Container c = engine.containers().builder().image(image)
                .blkioLimit(new dev.jcontainers.api.BlkioLimit(device.toString(),
                        dev.jcontainers.api.BlkioLimit.Kind.READ_BPS, 1_048_576))
                .blkioLimit(dev.jcontainers.api.BlkioLimit.parse(dev.jcontainers.api.BlkioLimit.Kind.WRITE_IOPS,
                        device + ":100"))
                .command("sleep", "30").start()) {
            var rate = dev.jcontainers.linux.cgroup.DeviceRate.of(device, 1);
            String dev = rate.major() + ":" + rate.minor();
            Path blkio = Path.of("/sys/fs/cgroup/blkio/jcontainers", c.id());
            Path v2 = Path.of("/sys/fs/cgroup/jcontainers", c.id(), "io.max");
            if (Files.isDirectory(blkio)) {
                assertThat(Files.readString(blkio.resolve("blkio.throttle.read_bps_device"))).contains(dev + " 1048576");
                assertThat(Files.readString(blkio.resolve("blkio.throttle.write_iops_device"))).contains(dev + " 100");
            } else {
                assertThat(Files.readString(v2)).contains(dev).contains("rbps=1048576").contains("wiops=100");
            }
        }
    }

    @Test
    void sharedHostNamespacesAreTheHostsOwn() {
        try (Container c = engine.containers().builder().image(image).network(NetworkMode.host())
                .uts(NamespaceMode.HOST).ipc(NamespaceMode.HOST)
                .command("sh", "-c", "for n in net uts ipc; do readlink /proc/self/ns/$n; done").start()) {
            assertThat(c.waitFor(Duration.ofSeconds(20))).isZero();
            assertThat(c.logs().stdout().lines().toList()).containsExactly(readLink("/proc/self/ns/net"),
                    readLink("/proc/self/ns/uts"), readLink("/proc/self/ns/ipc"));
        }
    }

    @Test
    void exitCodesAndLogStreamsAreRecorded() {
        try (Container c = run("sh", "-c", "echo out; echo err >&2; exit 3")) {
            assertThat(c.waitFor(Duration.ofSeconds(20))).isEqualTo(3);
            assertThat(c.exitCode()).hasValue(3);
            assertThat(c.logs().stdout()).isEqualTo("out\n");
            assertThat(c.logs().stderr()).isEqualTo("err\n");
            assertThat(c.logs().lines()).extracting(LogLine::stream)
                    .containsExactlyInAnyOrder(LogLine.Stream.STDOUT, LogLine.Stream.STDERR);
        }
    }

    @Test
    void writesGoToTheUpperDirAndLeaveTheLayersUntouched() throws Exception {
        try (Container c = run("sh", "-c", "echo changed > /data/layer-1.txt; rm /etc/group; echo new > /new.txt")) {
            assertThat(c.waitFor(Duration.ofSeconds(20))).isZero();
            Path dir = root.resolve("containers").resolve(c.id());
            assertThat(Files.readString(dir.resolve("upper/data/layer-1.txt"))).isEqualTo("changed\n");
            assertThat(Files.readString(dir.resolve("upper/new.txt"))).isEqualTo("new\n");
            // the deletion is a whiteout: a 0:0 character device
            assertThat(Files.getAttribute(dir.resolve("upper/etc/group"), "unix:rdev", java.nio.file.LinkOption.NOFOLLOW_LINKS))
                    .isEqualTo(0L);
            assertThat(MountInfo.self()).anySatisfy(m -> {
                assertThat(m.mountPoint()).isEqualTo(dir.resolve("rootfs"));
                assertThat(m.fsType()).isEqualTo("overlay");
            });
            List<Path> layerDirs = engine.imageService().prepareForRun(image, dev.jcontainers.api.PullOptions.defaults()).layerDirs();
            assertThat(Files.readString(layerDirs.get(1).resolve("data/layer-1.txt"))).isEqualTo("layer 1\n");
            assertThat(layerDirs.get(0).resolve("etc/group")).exists();
        }
    }

    @Test
    void stopSendsSigtermThenSigkill() {
        // "ready" once the trap is set: PID 1 ignores a SIGTERM that arrives before it has a handler
        try (Container polite = run("sh", "-c", "trap 'exit 143' TERM; echo ready; while true; do sleep 0.1; done")) {
            polite.waitUntil(Wait.forLogLine("ready"), Duration.ofSeconds(30));
            polite.stop(Duration.ofSeconds(5));
            assertThat(polite.exitCode()).hasValue(143);
        }
        try (Container stubborn = run("sh", "-c", "trap '' TERM; while true; do sleep 0.1; done")) {
            awaitRunning(stubborn);
            long start = System.nanoTime();
            stubborn.stop(Duration.ofMillis(500));
            assertThat(stubborn.exitCode()).hasValue(137);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
        }
    }

    @Test
    void aMemoryLimitOomKillsWith137() {
        try (Container c = engine.containers().builder().image(image).memory(DataSize.ofMegabytes(32))
                .command("sh", "-c", "x=a; while true; do x=$x$x; done").start()) {
            assertThat(c.waitFor(Duration.ofSeconds(60))).isEqualTo(137);
            ContainerInfo info = c.inspect();
            assertThat(info.oomKilled()).isTrue();
        }
    }

    @Test
    void removeLeavesNothingBehind() throws Exception {
        Container c = run("sleep", "30");
        String id = c.id();
        awaitRunning(c);
        assertThatThrownBy(() -> c.remove(false)).isInstanceOf(ContainerStateException.class);
        c.remove(true);
        assertThat(root.resolve("containers").resolve(id)).doesNotExist();
        assertThat(MountInfo.self()).noneMatch(m -> m.mountPoint().toString().contains(id));
        assertThat(Path.of("/sys/fs/cgroup/memory/jcontainers", id)).doesNotExist();
        assertThat(engine.containers().list(true)).noneMatch(i -> i.id().equals(id));
    }

    @Test
    void autoRemoveRemovesTheContainerWhenItExits() throws Exception {
        Container c = engine.containers().builder().image(image).command("true").autoRemove().start();
        String id = c.id();
        for (int i = 0; i < 100 && Files.exists(root.resolve("containers").resolve(id)); i++) {
            Thread.sleep(50);
        }
        assertThat(root.resolve("containers").resolve(id)).doesNotExist();
    }

    @Test
    void followDeliversLinesAsTheyAreWritten() {
        try (Container c = run("sh", "-c", "for i in 1 2 3; do echo line$i; sleep 0.2; done")) {
            List<String> seen = new CopyOnWriteArrayList<>();
            try (var follow = c.logs().follow(l -> seen.add(l.text().strip()))) {
                follow.await();
            }
            assertThat(seen).containsExactly("line1", "line2", "line3");
        }
    }

    @Test
    void anUnknownCommandIsAClearError() {
        assertThatThrownBy(() -> run("no-such-command"))
                .hasMessageContaining("executable file not found");
        assertThat(engine.containers().list(true)).allMatch(i -> i.status() != ContainerStatus.CREATED);
    }

    private static void awaitRunning(Container c) {
        assertThat(c.status()).isEqualTo(ContainerStatus.RUNNING);
    }

    private static String readLink(String path) {
        try {
            return Files.readSymbolicLink(Path.of(path)).toString();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
