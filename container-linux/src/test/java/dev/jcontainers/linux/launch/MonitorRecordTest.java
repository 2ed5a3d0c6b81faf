package dev.jcontainers.linux.launch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.jcontainers.api.ContainerException;

/**
 * The monitor's records read with the streaming parser come out as they did with databind's tree (the reference
 * below is the code this replaced), in the monitor's own format and in any other layout of the same JSON.
 */
class MonitorRecordTest {
    private static final ObjectMapper DATABIND = new ObjectMapper();

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {
            // what jc-launch.c writes
            "{\"exitCode\":137,\"signal\":9,\"pid\":4242,\"finishedAt\":\"2026-11-28T11:20:03.123456789Z\",\"restartCount\":2}\n",
            "{\"exitCode\":0,\"signal\":0,\"pid\":1,\"finishedAt\":\"2026-01-01T00:00:00Z\",\"restartCount\":0}\n",
            // the same JSON laid out otherwise, with a field the reader does not know
            "{ \"finishedAt\" : \"2026-11-28T11:20:03Z\",\n  \"extra\": {\"a\": [1, 2]}, \"exitCode\": -1, \"signal\": 15 }",
            "{\"exitCode\":3,\"finishedAt\":\"2026-11-28T11:20:03Z\"}"})
    void exitRecordsReadAsDatabindReadThem(String json) throws IOException {
        Files.writeString(dir.resolve(LaunchedContainer.EXIT_FILE), json);
        JsonNode n = DATABIND.readTree(json);
        ExitStatus reference = new ExitStatus(n.path("exitCode").asInt(), n.path("signal").asInt(),
                Instant.parse(n.path("finishedAt").asText()));

        assertThat(LaunchedContainer.readExitFile(dir)).contains(reference);
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"restartCount\":3,\"pid\":31337}\n", "{\"restartCount\":12,\"pid\":0}\n",
            "{\"pid\" : 99 , \"restartCount\" : 1, \"note\": null}", "{\"restartCount\":0}"})
    void restartRecordsReadAsDatabindReadThem(String json) throws IOException {
        Files.writeString(dir.resolve(RestartRecord.FILE), json);
        JsonNode n = DATABIND.readTree(json);
        RestartRecord reference = new RestartRecord(n.path("restartCount").asInt(), n.path("pid").asLong());

        assertThat(RestartRecord.read(dir)).contains(reference);
    }

    @ParameterizedTest
    @ValueSource(strings = {"[1,2]", "{\"exitCode\":", "{\"exitCode\":\"x\",\"finishedAt\":\"2026-11-28T11:20:03Z\"}",
            "{\"exitCode\":1}", "not json"})
    void aDamagedExitRecordIsAnError(String json) throws IOException {
        Files.writeString(dir.resolve(LaunchedContainer.EXIT_FILE), json);

        assertThatThrownBy(() -> LaunchedContainer.readExitFile(dir)).isInstanceOf(ContainerException.class)
                .hasMessageContaining("unreadable exit record");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "missing"})
    void anEmptyOrMissingRecordIsNone(String content) throws IOException {
        if (!content.equals("missing")) {
            Files.writeString(dir.resolve(LaunchedContainer.EXIT_FILE), content);
            Files.writeString(dir.resolve(RestartRecord.FILE), content);
        }

        assertThat(LaunchedContainer.readExitFile(dir)).isEqualTo(Optional.empty());
        assertThat(RestartRecord.read(dir)).isEqualTo(Optional.empty());
    }
}
