package dev.jcontainers.linux.capability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

class CapabilitiesTest {
    private static final Set<Capability> DEFAULTS = Capabilities.DOCKER_DEFAULTS;

    @Test
    void kernelNumbers() {
        assertThat(Capability.CHOWN.number()).isZero();
        assertThat(Capability.NET_ADMIN.number()).isEqualTo(12);
        assertThat(Capability.SYS_ADMIN.number()).isEqualTo(21);
        assertThat(Capability.AUDIT_WRITE.number()).isEqualTo(29);
        assertThat(Capability.SETFCAP.number()).isEqualTo(31);
        assertThat(Capability.AUDIT_READ.number()).isEqualTo(37);
        assertThat(Capability.CHECKPOINT_RESTORE.number()).isEqualTo(40);
        assertThat(Capability.values()).hasSize(41);
        assertThat(Capability.ofNumber(19)).isEqualTo(Capability.SYS_PTRACE);
    }

    @Test
    void parsesDockerSpellings() {
        assertThat(Capability.of("CAP_NET_ADMIN")).isEqualTo(Capability.NET_ADMIN);
        assertThat(Capability.of("NET_ADMIN")).isEqualTo(Capability.NET_ADMIN);
        assertThat(Capability.of("net_admin")).isEqualTo(Capability.NET_ADMIN);
        assertThat(Capability.of("cap_sys_admin")).isEqualTo(Capability.SYS_ADMIN);
        assertThat(Capabilities.parse("ALL")).hasSize(41);
        assertThat(Capabilities.parse("all")).hasSize(41);
        assertThat(Capabilities.parse("kill")).containsExactly(Capability.KILL);
        assertThatThrownBy(() -> Capability.of("NET_WIZARD")).isInstanceOf(UnknownCapabilityException.class)
                .hasMessageContaining("NET_WIZARD");
        assertThatThrownBy(() -> Capability.of("ALL")).isInstanceOf(UnknownCapabilityException.class);
        assertThat(Capability.NET_RAW.kernelName()).isEqualTo("CAP_NET_RAW");
    }

    @Test
    void masks() {
        assertThat(Capabilities.mask(List.of())).isZero();
        assertThat(Capabilities.mask(EnumSet.of(Capability.CHOWN, Capability.KILL))).isEqualTo(0b100001L);
        assertThat(Capabilities.mask(Capabilities.all())).isEqualTo((1L << 41) - 1);
        // Docker's default set as /proc/<pid>/status shows it in a docker container: CapBnd 00000000a80425fb.
        assertThat(Capabilities.mask(DEFAULTS)).isEqualTo(0xa80425fbL);
        assertThat(Capabilities.fromMask(0xa80425fbL)).isEqualTo(DEFAULTS);
    }

    @Test
    void dockerAddAndDrop() {
        assertThat(Capabilities.resolve(DEFAULTS, List.of(), List.of())).isEqualTo(DEFAULTS);
        assertThat(Capabilities.resolve(DEFAULTS, List.of("NET_ADMIN"), List.of("NET_RAW")))
                .contains(Capability.NET_ADMIN).doesNotContain(Capability.NET_RAW).hasSize(DEFAULTS.size());
        assertThat(Capabilities.resolve(DEFAULTS, List.of(), List.of("ALL"))).isEmpty();
        assertThat(Capabilities.resolve(DEFAULTS, List.of("CAP_CHOWN", "setuid"), List.of("all")))
                .containsExactlyInAnyOrder(Capability.CHOWN, Capability.SETUID);
        assertThat(Capabilities.resolve(DEFAULTS, List.of("ALL"), List.of("SYS_ADMIN", "MKNOD")))
                .hasSize(39).doesNotContain(Capability.SYS_ADMIN, Capability.MKNOD);
        assertThat(Capabilities.resolve(DEFAULTS, List.of("ALL"), List.of("ALL"))).hasSize(41);
        // Dropped and added: the add wins, as in Docker (drop first, then add).
        assertThat(Capabilities.resolve(DEFAULTS, List.of("NET_RAW"), List.of("NET_RAW")))
                .contains(Capability.NET_RAW);
        assertThat(Capabilities.resolve(DEFAULTS, List.of("SYS_PTRACE"), List.of("CHOWN")))
                .contains(Capability.SYS_PTRACE).doesNotContain(Capability.CHOWN);
        assertThatThrownBy(() -> Capabilities.resolve(DEFAULTS, List.of("NOPE"), List.of()))
                .isInstanceOf(UnknownCapabilityException.class);
    }

    @Test
    void theRunningKernelKnowsTheClassicCapabilities() {
        assertThat(Capabilities.supportedByKernel()).contains(Capability.CHOWN, Capability.SYS_ADMIN,
                Capability.SETFCAP, Capability.AUDIT_READ);
    }
}
