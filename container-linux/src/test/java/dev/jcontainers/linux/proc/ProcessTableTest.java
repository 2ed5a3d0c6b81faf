package dev.jcontainers.linux.proc;

import dev.jcontainers.api.ProcessInfo;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ProcessTableTest {
    @Test
    void readsThisJvmAsTheJdkSeesIt() {
        ProcessHandle self = ProcessHandle.current();
        List<ProcessInfo> read = ProcessTable.host().read(List.of(self.pid(), Long.MAX_VALUE));
        assertThat(read).hasSize(1); // a pid that does not exist is left out
        ProcessInfo p = read.getFirst();
        assertThat(p.pid()).isEqualTo(self.pid());
        assertThat(p.ppid()).isEqualTo(self.parent().orElseThrow().pid());
        assertThat(p.args()).isEqualTo(self.info().arguments().map(a -> {
            List<String> all = new java.util.ArrayList<>(List.of(p.args().getFirst()));
            all.addAll(List.of(a));
            return all;
        }).orElseThrow());
        assertThat(p.args().getFirst()).endsWith("java");
        assertThat(p.name()).isEqualTo("java");
        assertThat(Duration.between(self.info().startInstant().orElseThrow(), p.started()).abs())
                .isLessThan(Duration.ofSeconds(2)); // /proc counts in clock ticks since boot
        assertThat(p.started()).isBefore(Instant.now());
        assertThat(p.cpuTime()).isPositive();
        assertThat(p.rssBytes()).isPositive();
        assertThat(p.vszBytes()).isGreaterThan(p.rssBytes());
    }

    @Test
    void terminalsAndCommandLinesAsPsPrintsThem() {
        assertThat(ProcessTable.tty(0)).isEqualTo("?");
        assertThat(ProcessTable.tty((136 << 8) | 3)).isEqualTo("pts/3");
        assertThat(ProcessTable.tty((137 << 8) | 1)).isEqualTo("pts/257");
        assertThat(ProcessTable.tty((4 << 8) | 1)).isEqualTo("tty1");
        assertThat(ProcessTable.tty((4 << 8) | 65)).isEqualTo("ttyS1");
        assertThat(ProcessTable.cmdline("sh\0-c\0echo hi\0".getBytes(StandardCharsets.UTF_8)))
                .containsExactly("sh", "-c", "echo hi");
        assertThat(ProcessTable.cmdline("rewritten title".getBytes(StandardCharsets.UTF_8)))
                .containsExactly("rewritten title");
        assertThat(ProcessTable.cmdline(new byte[0])).isEmpty();
        ProcessInfo zombie = new ProcessInfo(1, 0, 0, "root", 'Z', Instant.EPOCH, Duration.ZERO, "?", 0, 0, "sh",
                List.of());
        assertThat(zombie.command()).isEqualTo("[sh]");
    }
}
