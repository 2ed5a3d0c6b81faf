package dev.jcontainers.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

class RequirementsTest {

    @Test
    void findsToolsOnThePath() {
        assertThat(Requirements.requireTool("sh")).isExecutable();
        assertThat(Requirements.findTool("no-such-tool-jcontainers")).isEmpty();
    }

    @Test
    void missingRequirementSkipsLocallyAndFailsUnderCi() {
        Class<? extends Throwable> expected = Requirements.isCi() ? AssertionFailedError.class : TestAbortedException.class;
        assertThatThrownBy(() -> Requirements.requireTool("no-such-tool-jcontainers"))
                .isInstanceOf(expected).hasMessageContaining("no-such-tool-jcontainers");
        assertThatThrownBy(() -> Requirements.requireFile(Path.of("/no/such/file")))
                .isInstanceOf(expected);
    }

    @Test
    void rootCheckAgreesWithProc() {
        assertThat(Requirements.isRoot()).isEqualTo(Requirements.currentUid() == 0);
        assertThat(Requirements.currentUid()).isNotNegative();
    }
}
