package dev.jcontainers.linux.launch;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

/**
 * A record the launch helper's monitor writes ({@code exit.json}, {@code restart.json}): one flat JSON object of
 * numbers and strings. Read with Jackson's streaming parser: the records are read on every container's exit,
 * where building a databind mapper cost a cold CLI run several milliseconds.
 */
final class MonitorRecord {
    private static final JsonFactory JSON = new JsonFactory();

    private final Map<String, String> fields;

    private MonitorRecord(Map<String, String> fields) {
        this.fields = fields;
    }

    /** @throws JsonParseException if {@code text} is not a JSON object */
    static MonitorRecord parse(String text) throws IOException {
        try (JsonParser p = JSON.createParser(text)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new JsonParseException(p, "not a JSON object");
            }
            Map<String, String> fields = new HashMap<>();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                if (p.nextToken().isScalarValue()) {
                    fields.put(name, p.getText());
                } else {
                    p.skipChildren(); // nothing the monitor writes: tolerated, as unknown fields are
                }
            }
            if (p.currentToken() != JsonToken.END_OBJECT) {
                throw new JsonParseException(p, "unterminated JSON object");
            }
            return new MonitorRecord(fields);
        }
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
