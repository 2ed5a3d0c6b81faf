package dev.jcontainers.core.container;

import dev.jcontainers.api.HealthCheck;
import dev.jcontainers.oci.image.ImageConfig;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** How the caller's health check, the image's and Docker's defaults combine; no containers. */
class HealthRulesTest {
    static final ImageConfig.HealthConfig IMAGE = new ImageConfig.HealthConfig(List.of("CMD-SHELL", "curl -f x"),
            5_000_000_000L, 0L, 2_000_000_000L, null, 0);

    @Test
    void dockerDefaultsFillWhatNobodySet() {
        ImageConfig.HealthConfig r = HealthMonitor.resolve(HealthCheck.shell("true"), null).orElseThrow();
        assertThat(r.test()).containsExactly("CMD-SHELL", "true");
        assertThat(r.interval()).isEqualTo(30_000_000_000L);
        assertThat(r.timeout()).isEqualTo(30_000_000_000L);
        assertThat(r.startPeriod()).isZero();
        assertThat(r.retries()).isEqualTo(3);
    }

    @Test
    void theImagesCheckAppliesWithTheCallersTimings() {
        assertThat(HealthMonitor.resolve(null, IMAGE).orElseThrow())
                .isEqualTo(new ImageConfig.HealthConfig(IMAGE.test(), 5_000_000_000L, 30_000_000_000L,
                        2_000_000_000L, null, 3));
        ImageConfig.HealthConfig r = HealthMonitor.resolve(HealthCheck.imageTest()
                .withInterval(Duration.ofMillis(250)).withRetries(7), IMAGE).orElseThrow();
        assertThat(r.test()).isEqualTo(IMAGE.test());
        assertThat(r.interval()).isEqualTo(250_000_000L);
        assertThat(r.retries()).isEqualTo(7);
        assertThat(HealthMonitor.resolve(HealthCheck.cmd("probe", "--x"), IMAGE).orElseThrow().test())
                .containsExactly("CMD", "probe", "--x");
    }

    @Test
    void noneDisablesTheImagesCheckAndNoCheckMeansNone() {
        assertThat(HealthMonitor.resolve(HealthCheck.NONE, IMAGE)).isEmpty();
        assertThat(HealthMonitor.resolve(null, null)).isEmpty();
        assertThat(HealthMonitor.resolve(HealthCheck.imageTest(), null)).isEmpty();
        assertThat(HealthMonitor.resolve(null, new ImageConfig.HealthConfig(List.of("NONE"), null, null, null,
                null, null))).isEmpty();
    }

    @Test
    void rejectsMalformedChecks() {
        assertThatThrownBy(() -> new HealthCheck(List.of("CMD"), null, null, null, null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new HealthCheck(List.of("curl", "-f"), null, null, null, null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> HealthCheck.shell("true").withInterval(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> HealthCheck.shell("true").withRetries(0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> HealthCheck.shell("true").withStartPeriod(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
