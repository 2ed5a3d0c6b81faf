package dev.jcontainers.linux.launch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.jcontainers.linux.launch.LaunchPlan.Capabilities;
import dev.jcontainers.linux.launch.LaunchPlan.Stdio;
import dev.jcontainers.linux.namespace.Namespace;
import dev.jcontainers.linux.namespace.NamespaceMode;

class LaunchPlanTest {
    @Test
    void refusesPlansThatWouldTouchTheHost() {
        assertThatThrownBy(() -> LaunchPlan.builder().mount(MountOp.mkdir("/x", 0755)).command("/bin/true").build())
                .hasMessageContaining("MNT namespace");
        assertThatThrownBy(() -> LaunchPlan.builder().hostname("h").command("/bin/true").build())
                .hasMessageContaining("UTS namespace");
        assertThatThrownBy(() -> LaunchPlan.builder().timeOffsets(Duration.ZERO, Duration.ZERO).command("/bin/true").build())
                .hasMessageContaining("TIME namespace");
        assertThatThrownBy(() -> LaunchPlan.builder().loopbackUp(true).command("/bin/true").build())
                .hasMessageContaining("NET namespace");
        assertThatThrownBy(() -> LaunchPlan.builder().namespace(Namespace.NET,
                NamespaceMode.join(Path.of("/proc/1/ns/net")))
                .loopbackUp(true).command("/bin/true").build()).hasMessageContaining("NET namespace");
    }

    @Test
    void refusesWhatTheHelperWouldRefuse() {
        assertThatThrownBy(() -> LaunchPlan.builder().command(List.of()).build());
        assertThatThrownBy(() -> LaunchPlan.builder().command("a\0b").build()).hasMessageContaining("NUL");
        assertThatThrownBy(() -> LaunchPlan.builder().command("x").env(List.of("NOEQUALS")).build());
        assertThatThrownBy(() -> LaunchPlan.builder().command("x").cwd("relative").build());
        assertThatThrownBy(() -> LaunchPlan.builder().command("x").stdio(Stdio.LOGGED).build())
                .hasMessageContaining("log configuration");
        assertThatThrownBy(() -> new Capabilities(0, 1, 0, 0, 0)).hasMessageContaining("permitted");
        assertThatThrownBy(() -> LaunchPlan.builder().seccomp(new byte[7]));
        assertThatThrownBy(() -> MountOp.mknod("/dev/x", 0666, 0)).hasMessageContaining("mode");
    }

    @Test
    void hostModeMeansAbsent() {
        LaunchPlan plan = LaunchPlan.builder().namespace(Namespace.NET, NamespaceMode.HOST)
                .privateNamespaces(Namespace.PID).command("x").build();
        assertThat(plan.namespaces()).containsOnlyKeys(Namespace.PID);
        assertThat(plan.cloneFlags()).isEqualTo(0x20000000L);
    }

    @Test
    void headerAndSectionLayout() {
        byte[] bytes = PlanCodec.encode(LaunchPlan.builder().command("/bin/true").build());
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(new String(bytes, 0, 4)).isEqualTo("JCLP");
        assertThat(b.getShort(4)).isEqualTo((short) 1);
        assertThat(b.getInt(8)).isEqualTo(bytes.length);
        assertThat(b.getShort(12)).isEqualTo((short) 12); // EXEC comes first when nothing else is set
        int execLength = b.getInt(16);
        assertThat(execLength).isEqualTo(4 + 10 + 4 + 4 + 10 + 4); // "/bin/true" twice, argc, envc
    }
}
