package dev.jcontainers.core.container;

import dev.jcontainers.api.LogLine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Reading Docker's json-file log lines: escapes, missing and unknown fields, and lines that are not JSON. */
class JsonFileLogsTest {
    @TempDir
    Path dir;

    @Test
    void readsEveryWellFormedLineAndSkipsTheRest() throws Exception {
        Path log = dir.resolve("container.log");
        Files.writeString(log, """
                {"log":"hi\\n","stream":"stdout","time":"2026-01-02T03:04:05.123456789Z"}
                {"log":"caf\\u00e9 \\"q\\" \\ud83d\\ude00\\n","stream":"stderr","x-new":{"a":[1,null]}}
                {"log":"torn
                [1]

                {"stream":"stderr","time":null}
                {"log":"last","time":"not a time"}
                """);

        List<LogLine> lines = new JsonFileLogs(log, () -> false, null).lines();

        assertThat(lines).containsExactly(
                new LogLine(LogLine.Stream.STDOUT, Instant.parse("2026-01-02T03:04:05.123456789Z"), "hi\n"),
                new LogLine(LogLine.Stream.STDERR, null, "café \"q\" \uD83D\uDE00\n"),
                new LogLine(LogLine.Stream.STDERR, null, ""));
    }
}
