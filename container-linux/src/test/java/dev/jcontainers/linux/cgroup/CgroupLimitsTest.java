package dev.jcontainers.linux.cgroup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;

class CgroupLimitsTest {

    private static void assertInvalid(String field, Consumer<CgroupLimits.Builder> setter) {
        CgroupLimits.Builder builder = CgroupLimits.builder();
        assertThatThrownBy(() -> {
            setter.accept(builder);
            builder.build();
        }).isInstanceOfSatisfying(InvalidCgroupLimitException.class, e -> assertThat(e.field()).isEqualTo(field))
                .hasMessageContaining(field);
    }

    @Test
    void rejectsOutOfRangeValuesNamingTheField() {
        assertInvalid("memory", b -> b.memory(0));
        assertInvalid("memory", b -> b.memory(-2));
        assertInvalid("memoryReservation", b -> b.memoryReservation(-5));
        assertInvalid("memorySwap", b -> b.memory(64 << 20).memorySwap(32 << 20));
        assertInvalid("memorySwap", b -> b.memory(CgroupLimits.UNLIMITED).memorySwap(32 << 20));
        assertInvalid("cpus", b -> b.cpus(-1));
        assertInvalid("cpus", b -> b.cpus(0.001));
        assertInvalid("cpus", b -> b.cpus(Double.NaN));
        assertInvalid("cpuShares", b -> b.cpuShares(1));
        assertInvalid("cpuShares", b -> b.cpuShares(262_145));
        assertInvalid("cpusetCpus", b -> b.cpusetCpus(""));
        assertInvalid("cpusetCpus", b -> b.cpusetCpus("0-"));
        assertInvalid("cpusetCpus", b -> b.cpusetCpus("3-1"));
        assertInvalid("cpusetMems", b -> b.cpusetMems("0;1"));
        assertInvalid("pidsLimit", b -> b.pidsLimit(0));
        assertInvalid("blkioWeight", b -> b.blkioWeight(9));
        assertInvalid("blkioWeight", b -> b.blkioWeight(1001));
        assertInvalid("device rate", b -> b.deviceReadBps(new DeviceRate(8, 0, -1)));
        assertInvalid("device", b -> b.deviceReadBps(new DeviceRate(-8, 0, 1)));
    }

    @Test
    void acceptsDockerStyleValues() {
        CgroupLimits limits = CgroupLimits.builder().memory(32 << 20).memorySwap(CgroupLimits.UNLIMITED)
                .memoryReservation(16 << 20).cpus(1.5).cpuShares(512).cpusetCpus("0-1,3").cpusetMems("0")
                .pidsLimit(CgroupLimits.UNLIMITED).blkioWeight(500).deviceWriteIops(new DeviceRate(8, 16, 100)).build();

        assertThat(limits.memory()).hasValue(32 << 20);
        assertThat(limits.cpusetCpus()).contains("0-1,3");
        assertThat(limits.writeIops()).containsExactly(new DeviceRate(8, 16, 100));
        assertThat(limits.hasDeviceRates()).isTrue();
        assertThat(CgroupLimits.none().hasDeviceRates()).isFalse();
        assertThat(CgroupLimits.none().memory()).isEmpty();
    }

    @Test
    void cpusBecomeAQuotaPerHundredMillisecondPeriod() {
        assertThat(CgroupLimits.cpuQuotaUs(0.5)).isEqualTo(50_000);
        assertThat(CgroupLimits.cpuQuotaUs(1.5)).isEqualTo(150_000);
        assertThat(CgroupLimits.cpuQuotaUs(0.01)).isEqualTo(1_000);
        assertThat(CgroupLimits.cpuQuotaUs(0)).isEqualTo(-1);
    }

    @Test
    void convertsV1WeightsToV2AsRuncDoes() {
        assertThat(CgroupV2Manager.sharesToWeight(2)).isEqualTo(1);
        assertThat(CgroupV2Manager.sharesToWeight(1024)).isEqualTo(39);
        assertThat(CgroupV2Manager.sharesToWeight(262_144)).isEqualTo(10_000);
        assertThat(CgroupV2Manager.blkioToIoWeight(10)).isEqualTo(1);
        assertThat(CgroupV2Manager.blkioToIoWeight(500)).isEqualTo(4950);
        assertThat(CgroupV2Manager.blkioToIoWeight(1000)).isEqualTo(10_000);
    }

    @Test
    void deviceNumbersComeFromTheNode() throws Exception {
        Path sysBlock = Path.of("/sys/block");
        Path any;
        try (var devices = Files.list(sysBlock)) {
            any = devices.filter(d -> Files.exists(Path.of("/dev", d.getFileName().toString()))).findFirst().orElse(null);
        }
        if (any != null) {
            String[] expected = Files.readString(any.resolve("dev")).strip().split(":");
            DeviceRate rate = DeviceRate.of(Path.of("/dev", any.getFileName().toString()), 1 << 20);
            System.out.println("[cgroup] " + any.getFileName() + " is " + rate.device());
            assertThat(rate.device()).isEqualTo(expected[0] + ":" + expected[1]);
        }
        assertThatThrownBy(() -> DeviceRate.of(Path.of("/dev/null"), 1))
                .isInstanceOf(InvalidCgroupLimitException.class).hasMessageContaining("not a block device");
        assertThatThrownBy(() -> DeviceRate.of(Path.of("/nonexistent/dev"), 1))
                .isInstanceOf(InvalidCgroupLimitException.class);
    }
}
