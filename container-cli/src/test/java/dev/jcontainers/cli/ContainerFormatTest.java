package dev.jcontainers.cli;

import dev.jcontainers.api.ContainerInfo;
import dev.jcontainers.api.ContainerStatus;
import dev.jcontainers.api.PortBinding;
import dev.jcontainers.linux.launch.LaunchException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** ps columns, inspect JSON and run's exit codes, without a container. */
class ContainerFormatTest {
    private static final Instant NOW = Instant.parse("2024-05-01T12:00:00Z");

    private static ContainerInfo info(ContainerStatus status, Integer exit, Instant started, Instant finished) {
        return new ContainerInfo("ab".repeat(32), "web", "busybox:1", "sha256:" + "c".repeat(64),
                List.of("sh", "-c", "echo hi"), NOW.minusSeconds(600), status, status == ContainerStatus.RUNNING ? 42 : 0,
                exit, exit != null && exit == 137, started, finished, "box", Map.of("a", "b"), true);
    }

    @Test
    void statusColumnReadsAsDockers() {
        assertThat(Format.containerStatus(info(ContainerStatus.CREATED, null, null, null), NOW)).isEqualTo("Created");
        assertThat(Format.containerStatus(info(ContainerStatus.RUNNING, null, NOW.minusSeconds(3), null), NOW))
                .isEqualTo("Up 3 seconds");
        assertThat(Format.containerStatus(info(ContainerStatus.RUNNING, null, NOW.minusMillis(300), null), NOW))
                .isEqualTo("Up Less than a second");
        assertThat(Format.containerStatus(info(ContainerStatus.EXITED, 0, NOW.minusSeconds(90), NOW.minusSeconds(2)),
                NOW)).isEqualTo("Exited (0) 2 seconds ago");
        assertThat(Format.containerStatus(info(ContainerStatus.EXITED, 137, NOW.minusSeconds(9000),
                NOW.minus(Duration.ofMinutes(61))), NOW)).isEqualTo("Exited (137) About an hour ago");
        assertThat(Format.ellipsis("sh -c 'echo hello world'", 20)).isEqualTo("sh -c 'echo hello w\u2026").hasSize(20);
        assertThat(Format.ellipsis("short", 20)).isEqualTo("short");
    }

    @Test
    void inspectJsonHasDockersShape() {
        Map<String, Object> m = ContainerJson.of(info(ContainerStatus.EXITED, 137, NOW.minusSeconds(5), NOW));
        assertThat(m).containsEntry("Path", "sh").containsEntry("Args", List.of("-c", "echo hi"))
                .containsEntry("Name", "/web").containsEntry("Image", "sha256:" + "c".repeat(64));
        @SuppressWarnings("unchecked")
        Map<String, Object> state = (Map<String, Object>) m.get("State");
        assertThat(state).containsEntry("Status", "exited").containsEntry("Running", false)
                .containsEntry("OOMKilled", true).containsEntry("ExitCode", 137).containsEntry("Pid", 0L)
                .containsEntry("FinishedAt", "2024-05-01T12:00:00Z");
        Map<String, Object> created = ContainerJson.of(info(ContainerStatus.CREATED, null, null, null));
        @SuppressWarnings("unchecked")
        Map<String, Object> never = (Map<String, Object>) created.get("State");
        assertThat(never).containsEntry("StartedAt", "0001-01-01T00:00:00Z").containsEntry("ExitCode", 0);
    }

    @Test
    void networkSettingsListTheContainersAddresses() {
        ContainerInfo c = info(ContainerStatus.RUNNING, null, NOW, null);
        var bridge = new dev.jcontainers.api.NetworkInfo("n".repeat(64), "bridge", "bridge", "jc0", "10.77.0.0/16",
                "10.77.0.1", false, NOW, List.of(new dev.jcontainers.api.NetworkInfo.Endpoint(c.id(), "web",
                "10.77.0.5", true, List.of()), new dev.jcontainers.api.NetworkInfo.Endpoint("other", "db", "10.77.0.6", true,
                List.of())), Map.of());
        var mine = new dev.jcontainers.api.NetworkInfo("m".repeat(64), "mine", "bridge", "jc1", "10.78.0.0/24",
                "10.78.0.1", false, NOW, List.of(), Map.of());
        Map<String, Object> m = ContainerJson.of(c, List.of(bridge, mine));
        @SuppressWarnings("unchecked")
        Map<String, Object> settings = (Map<String, Object>) m.get("NetworkSettings");
        assertThat(settings).containsEntry("IPAddress", "10.77.0.5").containsEntry("Gateway", "10.77.0.1");
        assertThat(settings.get("Networks")).isEqualTo(Map.of("bridge", Map.of("NetworkID", "n".repeat(64),
                "Gateway", "10.77.0.1", "IPAddress", "10.77.0.5", "IPPrefixLen", 16)));
    }

    @Test
    void publishedPortsShowInPsAndInspectWhileRunning() {
        ContainerInfo base = info(ContainerStatus.RUNNING, null, NOW.minusSeconds(3), null);
        List<PortBinding> ports = List.of(new PortBinding(null, 32768, 80, "tcp"),
                new PortBinding("127.0.0.1", 5353, 53, "udp"));
        ContainerInfo running = new ContainerInfo(base.id(), base.name(), base.image(), base.imageId(), base.command(),
                base.created(), base.status(), base.pid(), null, false, base.startedAt(), null, base.hostname(),
                base.labels(), true, null, dev.jcontainers.api.RestartPolicy.NO, 0, ports);
        assertThat(PsCommand.ports(running)).isEqualTo("0.0.0.0:32768->80/tcp, 127.0.0.1:5353->53/udp");
        @SuppressWarnings("unchecked")
        Map<String, Object> network = (Map<String, Object>) ContainerJson.of(running).get("NetworkSettings");
        assertThat(network.get("Ports")).isEqualTo(Map.of(
                "80/tcp", List.of(Map.of("HostIp", "0.0.0.0", "HostPort", "32768")),
                "53/udp", List.of(Map.of("HostIp", "127.0.0.1", "HostPort", "5353"))));
        assertThat(PsCommand.ports(info(ContainerStatus.EXITED, 0, NOW.minusSeconds(9), NOW))).isEmpty();
    }

    @Test
    void startFailuresMapToDockersCodes() {
        assertThat(ExitCodes.ofStartFailure(new dev.jcontainers.api.ContainerException(
                "exec: \"nope\": executable file not found in $PATH"))).isEqualTo(127);
        assertThat(ExitCodes.ofStartFailure(new LaunchException("execve(/x): No such file or directory", 2)))
                .isEqualTo(127);
        assertThat(ExitCodes.ofStartFailure(new LaunchException("execve(/etc): Permission denied", 13)))
                .isEqualTo(126);
        assertThat(ExitCodes.ofStartFailure(new LaunchException("pivot_root: Invalid argument", 22))).isEqualTo(125);
        assertThat(ExitCodes.ofStartFailure(new dev.jcontainers.api.ImageNotFoundException("No such image")))
                .isEqualTo(125);
    }

    @org.junit.jupiter.api.Test
    void flagDurationsAreDockers() {
        assertThat(Format.duration("30s")).isEqualTo(java.time.Duration.ofSeconds(30));
        assertThat(Format.duration("1m30s")).isEqualTo(java.time.Duration.ofSeconds(90));
        assertThat(Format.duration("250ms")).isEqualTo(java.time.Duration.ofMillis(250));
        assertThat(Format.duration("1.5h")).isEqualTo(java.time.Duration.ofMinutes(90));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Format.duration("10"))
                .isInstanceOf(IllegalArgumentException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Format.duration("5sx"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
