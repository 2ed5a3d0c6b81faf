package dev.jcontainers.linux.launch;

import dev.jcontainers.oci.json.Json;
import dev.jcontainers.oci.json.JsonReader;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * A record the launch helper's monitor writes ({@code exit.json}, {@code restart.json}): one flat JSON object of
 * numbers and strings. Read with Jackson's streaming parser: the records are read on every container's exit,
 * where building a databind mapper cost a cold CLI run several milliseconds.
 */
final class MonitorRecord {
    private final Map<String, String> fields;

    private MonitorRecord(Map<String, String> fields) {
        this.fields = fields;
    }

    /** @throws IOException if {@code text} is not a JSON object */
    static MonitorRecord parse(String text) throws IOException {
        return Json.read(text, p -> {
            JsonReader.expectObject(p, "a monitor record");
            Map<String, String> fields = new HashMap<>();
            while (JsonReader.nextField(p)) {
                if (p.currentToken().isScalarValue()) {
                    fields.put(p.currentName(), p.getText());
                } else {
                    p.skipChildren(); // nothing the monitor writes: tolerated, as unknown fields are
                }
            }
            return new MonitorRecord(fields);
        });
    }

    /** The field as a number; 0 when absent. */
    long number(String name) {
        String value = fields.get(name);
        return value == null ? 0 : Long.parseLong(value);
    }

    /** The field's text; empty when absent. */
    String text(String name) {
        return fields.getOrDefault(name, "");
    }
}
