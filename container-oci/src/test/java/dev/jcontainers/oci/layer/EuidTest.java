package dev.jcontainers.oci.layer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

/** The effective uid read from {@code /proc} is the one {@code geteuid} returns. */
class EuidTest {
    @Test
    void procAgreesWithGeteuid() {
        assertThat(PosixFiles.Euid.effectiveUid()).isEqualTo(PosixFiles.Euid.Call.geteuid());
    }

    @Test
    void theEffectiveUidIsTheSecondOfFour() {
        List<String> status = List.of("Name:\tjava", "Umask:\t0022", "State:\tR (running)", "Uid:\t1000\t0\t1000\t0",
                "Gid:\t100\t100\t100\t100");

        assertThat(PosixFiles.Euid.fromStatus(status)).isZero();
        assertThat(PosixFiles.Euid.fromStatus(List.of("Uid:\t0\t4294967294\t0\t0"))).isEqualTo(4294967294L);
        assertThatThrownBy(() -> PosixFiles.Euid.fromStatus(List.of("Gid:\t0\t0\t0\t0")))
                .isInstanceOf(IllegalStateException.class);
    }
}
