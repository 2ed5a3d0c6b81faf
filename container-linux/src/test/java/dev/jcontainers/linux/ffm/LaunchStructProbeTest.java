package dev.jcontainers.linux.ffm;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.foreign.MemoryLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.jcontainers.testkit.Requirements;

/**
 * The Java layouts of Spawn, Signals and Poll against the C compiler's view of the same structs:
 * src/test/c/probe_launch.c is compiled with gcc and prints name=value lines.
 */
class LaunchStructProbeTest {
    private static Map<String, Long> probe;

    @BeforeAll
    static void runProbe(@TempDir Path tmp) throws IOException, InterruptedException {
        Path gcc = Requirements.requireTool("gcc");
        Path exe = tmp.resolve("probe_launch");
        run(gcc.toString(), "-o", exe.toString(), Path.of("src/test/c/probe_launch.c").toAbsolutePath().toString());
        probe = new HashMap<>();
        for (String line : run(exe.toString()).split("\n")) {
            String[] kv = line.split("=", 2);
            probe.put(kv[0], Long.parseLong(kv[1].trim()));
        }
    }

    private static String run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }

    private static void assertLayout(String cName, MemoryLayout layout, String... fields) {
        assertThat(layout.byteSize()).as("sizeof " + cName).isEqualTo(probe.get("sizeof." + cName));
        for (String f : fields) {
            assertThat(layout.byteOffset(MemoryLayout.PathElement.groupElement(f)))
                    .as("offsetof " + cName + "." + f).isEqualTo(probe.get("offsetof." + cName + "." + f));
        }
    }

    @Test
    void spawnFileActions() {
        assertLayout("posix_spawn_file_actions_t", Spawn.POSIX_SPAWN_FILE_ACTIONS_T,
                "__allocated", "__used", "__actions", "__pad");
    }

    @Test
    void spawnAttributes() {
        assertLayout("posix_spawnattr_t", Spawn.POSIX_SPAWNATTR_T,
                "__flags", "__pgrp", "__sd", "__ss", "__sp", "__policy", "__pad");
    }

    @Test
    void sigset() {
        assertLayout("sigset_t", Signals.SIGSET_T);
    }

    @Test
    void pollfd() {
        assertLayout("struct pollfd", Poll.POLLFD, "fd", "events", "revents");
    }
}
