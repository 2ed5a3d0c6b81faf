package dev.jcontainers.core.container;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jcontainers.api.ContainerStatus;
import dev.jcontainers.oci.image.OciJson;
import dev.jcontainers.testkit.RandomValues;
import dev.jcontainers.testkit.UnknownFields;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** container.json from the streaming codec against databind, which wrote and read it before. */
class ContainerRecordJsonProperties {
    private static final ObjectMapper DATABIND = OciJson.mapper();

    @Property(tries = 500)
    void recordIsWrittenAsDatabindWritesIt(@ForAll Random random) throws IOException {
        ContainerRecord r = record(new RandomValues(random));
        assertArrayEquals(DATABIND.writeValueAsBytes(r), ContainerRecordJson.write(r), () -> "for " + r);
    }

    @Property(tries = 500)
    void recordReadsAsDatabindReadsIt(@ForAll Random random) throws IOException {
        byte[] json = UnknownFields.around(DATABIND.writeValueAsBytes(record(new RandomValues(random))));
        assertEquals(DATABIND.readValue(json, ContainerRecord.class), ContainerRecordJson.read(json));
    }

    /** Hand-made variations of a record: each either reads as databind reads it or fails as databind fails. */
    @Example
    void malformedRecordsGetDatabindsVerdict() throws IOException {
        ContainerRecord record = new ContainerRecord("c0ffee", "web", "bb:1", "sha256:00", "2026-01-02T03:04:05Z",
                List.of("/bin/true"), "c0ffee", Map.of("a", "b"), false, true, "SIGTERM", 10, ContainerStatus.RUNNING,
                42, 41, "2026-01-02T03:04:06Z", null, null, false, List.of("/layers/1"), 7, "123", null);
        String valid = new String(ContainerRecordJson.write(record), StandardCharsets.UTF_8);
        List<String> variants = List.of(
                valid.replaceFirst("\"status\":\"[A-Z]+\"", "\"status\":\"running\""),
                valid.replaceFirst("\"status\":\"[A-Z]+\"", "\"status\":\"\""),
                valid.replaceFirst("\"status\":\"[A-Z]+\"", "\"status\":null"),
                valid.replaceFirst("\"pid\":[-0-9]+", "\"pid\":\"12\""),
                valid.replaceFirst("\"pid\":[-0-9]+", "\"pid\":null"),
                valid.replaceFirst("\"pid\":[-0-9]+", "\"pid\":\"\""),
                valid.replaceFirst("\"pid\":[-0-9]+", "\"pid\":\" 12 \""),
                valid.replaceFirst("\"pid\":[-0-9]+", "\"pid\":true"),
                valid.replaceFirst("\"pid\":[-0-9]+", "\"pid\":[]"),
                valid.replaceFirst("\"pid\":[-0-9]+,", ""),
                valid.replaceFirst("\"detached\":(true|false)", "\"detached\":\"yes\""),
                valid.replaceFirst("\"detached\":(true|false)", "\"detached\":\"true\""),
                valid.replaceFirst("\"detached\":(true|false)", "\"detached\":1"),
                valid.replaceFirst("\"detached\":(true|false)", "\"detached\":0"),
                valid.replaceFirst("\"detached\":(true|false)", "\"detached\":2"),
                valid.replaceFirst("\"detached\":(true|false)", "\"detached\":1.0"),
                valid.replaceFirst("\"detached\":(true|false)", "\"detached\":\"TRUE\""),
                valid.replaceFirst("\"detached\":(true|false)", "\"detached\":\"\""),
                valid.replaceFirst("\"detached\":(true|false)", "\"detached\":null"),
                valid.replaceFirst("\"oomKilled\"", "\"exitCode\":3000000000,\"oomKilled\""),
                valid.replaceFirst("\"labels\":\\{", "\"labels\":{\"n\":null,"),
                valid.replaceFirst("\"ownerPid\":[-0-9]+", "\"ownerPid\":1.5"),
                valid.replaceFirst("\"ownerPid\":[-0-9]+", "\"ownerPid\":1e40"),
                valid.replaceFirst("\"id\":\"[^\"]*\"", "\"id\":{}"),
                valid.replaceFirst("\"id\":\"[^\"]*\"", "\"id\":17"),
                "[]", "", "{", valid.substring(0, valid.length() / 2));
        for (String variant : variants) {
            byte[] json = variant.getBytes(StandardCharsets.UTF_8);
            ContainerRecord expected;
            try {
                expected = DATABIND.readValue(json, ContainerRecord.class);
            } catch (IOException databindRejects) {
                assertThrows(IOException.class, () -> ContainerRecordJson.read(json), variant);
                continue;
            }
            assertEquals(expected, ContainerRecordJson.read(json), variant);
        }
    }

    private static ContainerRecord record(RandomValues r) {
        return new ContainerRecord(r.nullableString(), r.nullableString(), r.nullableString(), r.nullableString(),
                r.nullableString(), r.nullable(r::strings), r.nullableString(), r.nullable(r::stringMap), r.bool(),
                r.bool(), r.nullableString(), r.anyLong(), r.nullable(() -> r.oneOf(ContainerStatus.values())),
                r.anyLong(), r.anyLong(), r.nullableString(), r.nullableString(), r.nullableInt(), r.bool(),
                r.nullable(r::strings), r.anyLong(), r.nullableString(), r.nullableString());
    }
}
