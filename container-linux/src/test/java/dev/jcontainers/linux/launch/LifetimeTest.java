package dev.jcontainers.linux.launch;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.jcontainers.linux.ffm.Signals;
import dev.jcontainers.linux.launch.LaunchPlan.Lifetime;

/** Containers and the death of the JVM that launched them: a child JVM is launched and SIGKILLed. */
class LifetimeTest {
    private BusyboxRootfs fs;
    private Process jvm;
    private long containerPid = -1;

    @BeforeEach
    void setUp() throws IOException {
        fs = BusyboxRootfs.create();
    }

    @AfterEach
    void tearDown() throws Exception {
        if (jvm != null) {
            jvm.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        if (containerPid > 0) {
            ProcessHandle.of(containerPid).ifPresent(ProcessHandle::destroyForcibly);
            awaitGone(containerPid, Duration.ofSeconds(5));
        }
        fs.close();
    }

    private long startChildJvm(Lifetime lifetime) throws IOException {
        Path helper = fs.launcher().helper();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        jvm = new ProcessBuilder(List.of(java, "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), LifetimeChild.class.getName(),
                lifetime.name(), helper.toString(), fs.rootfs.toString(), fs.stateDir.toString()))
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(jvm.getInputStream(), StandardCharsets.UTF_8));
        String line = out.readLine();
        assertThat(line).as("container pid from the child JVM").isNotNull().matches("\\d+");
        containerPid = Long.parseLong(line);
        assertThat(ProcessHandle.of(containerPid)).isPresent();
        return containerPid;
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

    @Test
    void aSandboxContainerDiesWithItsJvmEvenOnSigkill() throws Exception {
        long pid = startChildJvm(Lifetime.SANDBOX);

        jvm.destroyForcibly(); // SIGKILL: no shutdown hooks, no finalisers; only the socket closes
        assertThat(jvm.waitFor(10, TimeUnit.SECONDS)).isTrue();

        assertThat(awaitGone(pid, Duration.ofSeconds(2))).as("container %d gone within 2 s", pid).isTrue();
        // The monitor writes the exit record just after it reaps the container.
        Optional<ExitStatus> exit = Optional.empty();
        for (int i = 0; i < 200 && exit.isEmpty(); i++) {
            exit = LaunchedContainer.readExitFile(fs.stateDir);
            if (exit.isEmpty()) {
                Thread.sleep(10);
            }
        }
        assertThat(exit).as("exit record").isPresent();
        assertThat(exit.get().exitCode()).isEqualTo(137);
    }

    @Test
    void aDetachedContainerOutlivesItsJvmAndALaterOneControlsIt() throws Exception {
        long pid = startChildJvm(Lifetime.DETACHED);

        jvm.destroyForcibly();
        assertThat(jvm.waitFor(10, TimeUnit.SECONDS)).isTrue();
        Thread.sleep(300);
        assertThat(ProcessHandle.of(pid)).as("detached container still running").isPresent();
        assertThat(LaunchedContainer.readExitFile(fs.stateDir)).isEmpty();

        LaunchedContainer again = LaunchedContainer.attach(pid, fs.stateDir);
        assertThat(again.exitStatus()).isEmpty();
        again.signal(Signals.SIGTERM);
        Optional<ExitStatus> exit = again.waitFor(Duration.ofSeconds(10));
        again.close();

        assertThat(exit).isPresent();
        assertThat(exit.get().exitCode()).isEqualTo(143);
        assertThat(LaunchedContainer.readExitFile(fs.stateDir)).contains(exit.get());
        assertThat(awaitGone(pid, Duration.ofSeconds(2))).isTrue();
    }
}
