package dev.jcontainers.core.container;

import dev.jcontainers.api.LogLine;
import dev.jcontainers.api.Wait;
import org.junit.jupiter.api.Test;

import java.util.regex.PatternSyntaxException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The wait strategy values: validation and the descriptions error messages use. */
class WaitTest {
    @Test
    void rejectsWhatCanNeverBeAwaited() {
        assertThatThrownBy(() -> Wait.forPort(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Wait.forPort(65536)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Wait.forLogLine("ready").times(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Wait.forLogLine("(unclosed")).isInstanceOf(PatternSyntaxException.class);
        assertThatThrownBy(Wait::all).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void describesWhatIsAwaited() {
        assertThat(Wait.forLogLine("up").description()).isEqualTo("log line matching 'up'");
        assertThat(Wait.forLogLine("up").times(2).onStderr().description())
                .isEqualTo("log line matching 'up' 2 times on stderr");
        assertThat(Wait.forLogLine("up").onStdout().stream()).isEqualTo(LogLine.Stream.STDOUT);
        assertThat(Wait.all(Wait.forPort(80), Wait.forHealthy(), Wait.forExit()).description())
                .isEqualTo("port 80 to accept connections, then healthy, then exit");
        assertThat(Wait.until("a file", c -> true).description()).isEqualTo("a file");
        assertThat(Wait.forPort(80)).isEqualTo(Wait.forPort(80));
    }
}
