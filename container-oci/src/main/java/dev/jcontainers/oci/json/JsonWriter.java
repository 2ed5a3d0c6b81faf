package dev.jcontainers.oci.json;

import com.fasterxml.jackson.core.JsonGenerator;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * Writing fields the way databind does under a record's {@code @JsonInclude}: {@link Omit#NOTHING} writes
 * nulls (databind's default), {@link Omit#NULL} leaves them out, {@link Omit#EMPTY} also empty strings, lists
 * and maps. Databind counts no number, boolean or object as empty, and always writes primitives.
 */
public final class JsonWriter {
    /** Which values a record leaves out: its {@code JsonInclude.Include} (ALWAYS, NON_NULL or NON_EMPTY). */
    public enum Omit {
        NOTHING, NULL, EMPTY
    }

    private JsonWriter() {
    }

    public static void string(JsonGenerator g, Omit omit, String name, String value) throws IOException {
        if (value == null) {
            nullField(g, omit, name);
        } else if (!(omit == Omit.EMPTY && value.isEmpty())) {
            g.writeStringField(name, value);
        }
    }

    public static void number(JsonGenerator g, Omit omit, String name, Long value) throws IOException {
        if (value == null) {
            nullField(g, omit, name);
        } else {
            g.writeNumberField(name, (long) value);
        }
    }

    public static void number(JsonGenerator g, Omit omit, String name, Integer value) throws IOException {
        if (value == null) {
            nullField(g, omit, name);
        } else {
            g.writeNumberField(name, (int) value);
        }
    }

    public static void bool(JsonGenerator g, Omit omit, String name, Boolean value) throws IOException {
        if (value == null) {
            nullField(g, omit, name);
        } else {
            g.writeBooleanField(name, value);
        }
    }

    public static void stringList(JsonGenerator g, Omit omit, String name, List<String> values) throws IOException {
        list(g, omit, name, values, JsonGenerator::writeString);
    }

    /** A list whose elements {@code element} writes; a null element is written as null. */
    public static <T> void list(JsonGenerator g, Omit omit, String name, List<T> values, Json.ValueWriter<T> element)
            throws IOException {
        if (values == null) {
            nullField(g, omit, name);
            return;
        }
        if (omit == Omit.EMPTY && values.isEmpty()) {
            return;
        }
        g.writeArrayFieldStart(name);
        for (T v : values) {
            if (v == null) {
                g.writeNull();
            } else {
                element.write(g, v);
            }
        }
        g.writeEndArray();
    }

    public static void stringMap(JsonGenerator g, Omit omit, String name, Map<String, String> values)
            throws IOException {
        map(g, omit, name, values, JsonGenerator::writeString);
    }

    /** A map in its iteration order, as databind writes it; a null value is written as null. */
    public static <T> void map(JsonGenerator g, Omit omit, String name, Map<String, T> values,
                               Json.ValueWriter<T> value) throws IOException {
        if (values == null) {
            nullField(g, omit, name);
            return;
        }
        if (omit == Omit.EMPTY && values.isEmpty()) {
            return;
        }
        g.writeObjectFieldStart(name);
        for (Map.Entry<String, T> e : values.entrySet()) {
            g.writeFieldName(e.getKey());
            if (e.getValue() == null) {
                g.writeNull();
            } else {
                value.write(g, e.getValue());
            }
        }
        g.writeEndObject();
    }

    /** A nested object (databind never counts one as empty). */
    public static <T> void object(JsonGenerator g, Omit omit, String name, T value, Json.ValueWriter<T> writer)
            throws IOException {
        if (value == null) {
            nullField(g, omit, name);
        } else {
            g.writeFieldName(name);
            writer.write(g, value);
        }
    }

    private static void nullField(JsonGenerator g, Omit omit, String name) throws IOException {
        if (omit == Omit.NOTHING) {
            g.writeNullField(name);
        }
    }
}
