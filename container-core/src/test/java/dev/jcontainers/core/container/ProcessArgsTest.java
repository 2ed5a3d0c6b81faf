package dev.jcontainers.core.container;

import dev.jcontainers.api.ContainerException;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Docker's ENTRYPOINT/CMD table (docs: "Understand how CMD and ENTRYPOINT interact"). */
class ProcessArgsTest {
    static final List<String> EP_EXEC = List.of("/bin/ping", "-c", "3");
    static final List<String> CMD_EXEC = List.of("localhost");
    static final List<String> EP_SHELL = List.of("/bin/sh", "-c", "exec_entry p1_entry");
    static final List<String> CMD_SHELL = List.of("/bin/sh", "-c", "exec_cmd p1_cmd");

    @Test
    void imageOnly() {
        assertThat(ProcessArgs.resolve(null, CMD_EXEC, null, null)).containsExactly("localhost");
        assertThat(ProcessArgs.resolve(EP_EXEC, null, null, null)).containsExactly("/bin/ping", "-c", "3");
        assertThat(ProcessArgs.resolve(EP_EXEC, CMD_EXEC, null, null)).containsExactly("/bin/ping", "-c", "3", "localhost");
        assertThat(ProcessArgs.resolve(null, CMD_SHELL, null, null)).containsExactly("/bin/sh", "-c", "exec_cmd p1_cmd");
        // Shell-form ENTRYPOINT ignores CMD in effect: it becomes extra args to sh -c, as in Docker.
        assertThat(ProcessArgs.resolve(EP_SHELL, CMD_EXEC, null, null))
                .containsExactly("/bin/sh", "-c", "exec_entry p1_entry", "localhost");
    }

    @Test
    void callerCommandReplacesCmdOnly() {
        assertThat(ProcessArgs.resolve(EP_EXEC, CMD_EXEC, null, List.of("example.org")))
                .containsExactly("/bin/ping", "-c", "3", "example.org");
        assertThat(ProcessArgs.resolve(null, CMD_EXEC, null, List.of("echo", "hi"))).containsExactly("echo", "hi");
    }

    @Test
    void callerEntrypointReplacesEntrypointAndDropsImageCmd() {
        assertThat(ProcessArgs.resolve(EP_EXEC, CMD_EXEC, List.of("/bin/echo"), null)).containsExactly("/bin/echo");
        assertThat(ProcessArgs.resolve(EP_EXEC, CMD_EXEC, List.of("/bin/echo"), List.of("x"))).containsExactly("/bin/echo", "x");
        assertThat(ProcessArgs.resolve(EP_EXEC, CMD_EXEC, List.of(), List.of("sh"))).containsExactly("sh");
    }

    @Test
    void nothingToRunIsAnError() {
        assertThatThrownBy(() -> ProcessArgs.resolve(null, null, null, null))
                .isInstanceOf(ContainerException.class).hasMessageContaining("no command specified");
        assertThatThrownBy(() -> ProcessArgs.resolve(EP_EXEC, CMD_EXEC, List.of(), null))
                .isInstanceOf(ContainerException.class);
    }
}
