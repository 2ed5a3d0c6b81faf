package dev.jcontainers.linux.launch;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/** Encoding is lossless, and every plan Java accepts the C parser accepts too. */
class PlanCodecProperties {
    private static Path cache;
    private static Path helper;

    @BeforeContainer
    static void extractHelper() throws Exception {
        cache = Files.createTempDirectory("jc-codec-");
        helper = HelperProcess.built(cache);
    }

    @AfterContainer
    static void cleanUp() throws Exception {
        TestFiles.deleteRecursively(cache);
    }

    @Provide
    Arbitrary<LaunchPlan> plans() {
        return PlanArbitraries.plans();
    }

    @Property(tries = 300)
    void decodeInvertsEncode(@ForAll("plans") LaunchPlan plan) {
        byte[] bytes = PlanCodec.encode(plan);
        assertThat(PlanCodec.decode(bytes)).isEqualTo(plan);
        assertThat(PlanCodec.encode(PlanCodec.decode(bytes))).isEqualTo(bytes);
    }

    @Property(tries = 60)
    void theHelperAcceptsEveryValidPlan(@ForAll("plans") LaunchPlan plan) throws Exception {
        HelperProcess.Result r = HelperProcess.parseOnly(helper, PlanCodec.encode(plan), Map.of());
        assertThat(r.exitValue()).as(r.stderr()).isZero();
        assertThat(r.stdout()).isEqualTo("ok\n");
    }
}
