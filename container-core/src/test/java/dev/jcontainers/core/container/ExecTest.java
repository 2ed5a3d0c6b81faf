package dev.jcontainers.core.container;

import dev.jcontainers.api.Container;
import dev.jcontainers.api.ContainerException;
import dev.jcontainers.api.ContainerStateException;
import dev.jcontainers.api.ContainerStatus;
import dev.jcontainers.api.ExecOptions;
import dev.jcontainers.api.ExecResult;
import dev.jcontainers.api.WaitTimeoutException;
import dev.jcontainers.core.LocalEngine;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code exec} into real running containers, as root on the real kernel. */
@RuntimeTest(repo = "exec/busybox")
class ExecTest {
    static LocalEngine engine;
    @RuntimeTest.Image
    static String image;
    /** One long-running container most tests exec into. */
    static Container box;

    @BeforeAll
    static void setUp() {
        box = engine.containers().builder().image(image).hostname("box").env("FROM_CONTAINER", "yes")
                .env("OVERRIDDEN", "container")
                .command("sh", "-c", "echo written > /tmp/by-container; exec sleep 600").start();
    }

    @Test
    void runsInTheContainersUtsNamespace() {
        ExecResult r = box.exec("hostname");
        assertThat(r).isEqualTo(new ExecResult(0, "box\n", ""));
    }

    @Test
    void joinsEveryNamespaceOfTheContainer() {
        long pid = box.inspect().pid();
        String out = box.exec("sh", "-c", "for n in pid uts net ipc mnt cgroup; do readlink /proc/self/ns/$n; done")
                .stdout();
        List<String> container = Stream.of("pid", "uts", "net", "ipc", "mnt", "cgroup")
                .map(ns -> readLink(Path.of("/proc", Long.toString(pid), "ns", ns))).toList();
        assertThat(out.lines().toList()).isEqualTo(container);
    }

    @Test
    void isAMemberOfTheContainersPidNamespace() {
        int execPid = Integer.parseInt(box.exec("sh", "-c", "echo $$").stdout().trim());
        assertThat(execPid).isGreaterThan(1).isLessThan(100);
        // the container's own process is PID 1 as the exec'd one sees it
        assertThat(box.exec("cat", "/proc/1/cmdline").stdout()).isEqualTo("sleep\0" + "600\0");
        assertThat(box.exec("ps").stdout()).contains("sleep 600");
    }

    @Test
    void seesTheContainersFilesAndItsRoot() {
        ExecResult r = box.exec(ExecOptions.defaults().withTimeout(Duration.ofSeconds(10)),
                "sh", "-c", "while [ ! -f /tmp/by-container ]; do sleep 0.05; done; cat /tmp/by-container; pwd; ls /");
        assertThat(r.exitCode()).isZero();
        List<String> lines = r.stdout().lines().toList();
        assertThat(lines.get(0)).isEqualTo("written");
        assertThat(lines.get(1)).isEqualTo("/");
        assertThat(lines).contains("bin", "etc", "proc").doesNotContain("usr", "home");
        // and what exec writes, the container sees
        box.exec("sh", "-c", "echo from-exec > /tmp/by-exec");
        assertThat(box.exec("cat", "/tmp/by-exec").stdout()).isEqualTo("from-exec\n");
    }

    @Test
    void runsInTheContainersCgroup() {
        ExecResult r = box.exec("sh", "-c", "cat /proc/self/cgroup; echo --; cat /proc/1/cgroup");
        String[] parts = r.stdout().split("--\n");
        assertThat(parts[0]).isEqualTo(parts[1]).doesNotContain("..");
    }

    @Test
    void runsAsTheContainersUserOrTheGivenOne() {
        assertThat(box.exec("id").stdout()).startsWith("uid=0(root) gid=0(root)");
        ExecResult nobody = box.exec(ExecOptions.defaults().withUser("nobody"),
                "sh", "-c", "id -u; id -g; echo $HOME; grep CapEff /proc/self/status");
        assertThat(nobody.stdout().lines().toList())
                .containsExactly("65534", "65534", "/nonexistent", "CapEff:\t0000000000000000");
        assertThat(box.exec(ExecOptions.defaults().withUser("1234:4321"), "id").stdout())
                .startsWith("uid=1234 gid=4321");
        assertThatThrownBy(() -> box.exec(ExecOptions.defaults().withUser("nosuchuser"), "id"))
                .isInstanceOf(ContainerException.class).hasMessageContaining("unable to find user nosuchuser");
    }

    @Test
    void hasTheContainersCapabilitiesAsRoot() {
        String mine = box.exec("grep", "CapBnd", "/proc/self/status").stdout();
        String containers = box.exec("grep", "CapBnd", "/proc/1/status").stdout();
        assertThat(mine).isEqualTo(containers).isNotEqualTo("CapBnd:\t000001ffffffffff\n");
        assertThat(box.exec("grep", "CapEff", "/proc/self/status").stdout())
                .isEqualTo(box.exec("grep", "CapEff", "/proc/1/status").stdout());
    }

    @Test
    void propagatesTheExitCodeAndSeparatesTheStreams() {
        ExecResult r = box.exec("sh", "-c", "echo out; echo err >&2; exit 5");
        assertThat(r).isEqualTo(new ExecResult(5, "out\n", "err\n"));
        assertThat(r.succeeded()).isFalse();
        assertThat(box.exec("sh", "-c", "kill -9 $$").exitCode()).isEqualTo(137);
    }

    @Test
    void environmentIsTheContainersPlusOverrides() {
        ExecResult r = box.exec(ExecOptions.defaults().withEnv("OVERRIDDEN", "exec").withEnv("ADDED", "1"),
                "sh", "-c", "echo $FROM_CONTAINER $OVERRIDDEN $ADDED $HOSTNAME $PATH");
        assertThat(r.stdout()).isEqualTo("yes exec 1 box " + EnvMerger.DEFAULT_PATH + "\n");
    }

    @Test
    void workingDirectoryAndStdin() {
        assertThat(box.exec(ExecOptions.defaults().withWorkingDir("/etc"), "pwd").stdout()).isEqualTo("/etc\n");
        ExecResult cat = box.exec(ExecOptions.defaults().withStdin("line 1\nline 2\n"), "cat");
        assertThat(cat.stdout()).isEqualTo("line 1\nline 2\n");
        // more than a pipe holds, in both directions at once
        byte[] big = "0123456789abcdef".repeat(64 * 1024).getBytes();
        ExecResult wc = box.exec(ExecOptions.defaults().withStdin(big), "sh", "-c", "cat; cat /bin/busybox >&2");
        assertThat(wc.stdout()).hasSize(big.length);
        assertThat(wc.stderr().length()).isGreaterThan(100_000);
        assertThat(box.exec("cat").stdout()).isEmpty(); // no stdin: /dev/null
    }

    @Test
    void unknownCommandsAndTimeouts() {
        assertThatThrownBy(() -> box.exec("no-such-command"))
                .isInstanceOf(ContainerException.class).hasMessageContaining("executable file not found in $PATH");
        long start = System.nanoTime();
        assertThatThrownBy(() -> box.exec(ExecOptions.defaults().withTimeout(Duration.ofMillis(300)), "sleep", "30"))
                .isInstanceOf(WaitTimeoutException.class);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        assertThat(box.exec("sh", "-c", "ps | grep -c '[s]leep 30'").stdout()).isEqualTo("0\n"); // killed
    }

    @Test
    void execIntoAStoppedOrCreatedContainerIsAStateError() {
        try (Container created = engine.containers().builder().image(image).command("true").create()) {
            assertThatThrownBy(() -> created.exec("true")).isInstanceOf(ContainerStateException.class)
                    .hasMessage("Container " + created.id() + " is not running");
            created.start();
            assertThat(created.waitFor(Duration.ofSeconds(20))).isZero();
            assertThatThrownBy(() -> created.exec("true")).isInstanceOf(ContainerStateException.class)
                    .hasMessage("Container " + created.id() + " is not running");
        }
    }

    @Test
    void aRunningExecDiesWithItsContainer() throws Exception {
        try (Container c = engine.containers().builder().image(image).command("sleep", "600").start()) {
            CompletableFuture<ExecResult> exec = CompletableFuture.supplyAsync(() -> c.exec("sleep", "600"));
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (!c.exec("sh", "-c", "ps | grep -c '[s]leep 600'").stdout().equals("2\n")) {
                assertThat(System.nanoTime()).isLessThan(deadline);
                Thread.sleep(20);
            }
            c.kill();
            assertThat(exec.get(10, java.util.concurrent.TimeUnit.SECONDS).exitCode()).isEqualTo(137);
        }
    }

    @Test
    void manyExecsLeakNoDescriptorsOrThreads() {
        box.exec("true"); // warm up: helper extracted, classes loaded
        long fds = openFds();
        int threads = Thread.activeCount();
        for (int i = 0; i < 50; i++) {
            assertThat(box.exec("echo", Integer.toString(i)).stdout()).isEqualTo(i + "\n");
        }
        assertThat(openFds()).isEqualTo(fds);
        assertThat(Thread.activeCount()).isLessThanOrEqualTo(threads);
        assertThat(box.status()).isEqualTo(ContainerStatus.RUNNING);
    }

    private static long openFds() {
        try (Stream<Path> s = Files.list(Path.of("/proc/self/fd"))) {
            return s.count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String readLink(Path path) {
        try {
            return Files.readSymbolicLink(path).toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
