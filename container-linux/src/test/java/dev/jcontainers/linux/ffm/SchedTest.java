package dev.jcontainers.linux.ffm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jcontainers.testkit.Requirements;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

class SchedTest {
    private static final Path THREAD_UTS = Path.of("/proc/thread-self/ns/uts");

    @Test
    void unshareGivesTheThreadItsOwnNamespaceAndSetnsBringsItBack() throws Exception {
        Requirements.requireRoot();
        AtomicReference<String[]> seen = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        // A dedicated thread: namespaces are per thread, and this one ends with the test.
        Thread thread = new Thread(() -> {
            try {
                String before = Files.readSymbolicLink(THREAD_UTS).toString();
                int original = Unistd.open(THREAD_UTS, Unistd.O_RDONLY | Unistd.O_CLOEXEC);
                try {
                    Sched.unshare(Sched.CLONE_NEWUTS);
                    String inside = Files.readSymbolicLink(THREAD_UTS).toString();
                    Sched.setns(original, Sched.CLONE_NEWUTS);
                    String after = Files.readSymbolicLink(THREAD_UTS).toString();
                    seen.set(new String[] {before, inside, after});
                } finally {
                    Unistd.close(original);
                }
            } catch (Throwable t) {
                failure.set(t);
            }
        }, "sched-test");
        thread.start();
        thread.join();
        assertThat(failure.get()).isNull();
        String[] ns = seen.get();
        assertThat(ns[1]).startsWith("uts:[").isNotEqualTo(ns[0]);
        assertThat(ns[2]).isEqualTo(ns[0]);
    }

    @Test
    void setnsOnAFileThatIsNoNamespaceNamesTheFile() {
        assertThatThrownBy(() -> Sched.setns(Path.of("/proc/self/status"), Sched.CLONE_NEWNET))
                .isInstanceOf(LinuxException.class).hasMessageContaining("setns(/proc/self/status)")
                .satisfies(e -> assertThat(((LinuxException) e).errno()).isEqualTo(Errno.EINVAL));
    }

    @Test
    void statfsOfAMissingPathNamesIt() {
        assertThatThrownBy(() -> Stat.statfs(Path.of("/no/such/dir")))
                .isInstanceOf(LinuxException.class).hasMessageContaining("statfs(/no/such/dir)")
                .satisfies(e -> assertThat(((LinuxException) e).errno()).isEqualTo(Errno.ENOENT));
    }

    @Test
    void statfsTellsProcAndTmpfsApart() {
        assertThat(Stat.statfs(Path.of("/proc")).type()).isEqualTo(Stat.PROC_SUPER_MAGIC);
        assertThat(Stat.statfs(Path.of("/dev/shm")).type()).isEqualTo(Stat.TMPFS_MAGIC);
    }
}
