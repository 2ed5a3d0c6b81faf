package dev.jcontainers.oci.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.InputCoercionException;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reading values the way databind does for our records: {@code null} gives a null reference (and is an error
 * for a primitive), a scalar is accepted where a string is expected and a numeric string where a number is,
 * and an object's fields arrive in any order, unknown ones skipped by the caller. The typical loop:
 *
 * <pre>{@code
 * JsonReader.expectObject(p, "descriptor");
 * while (JsonReader.nextField(p)) {
 *     switch (p.currentName()) {
 *         case "digest" -> digest = JsonReader.string(p);
 *         default -> p.skipChildren();
 *     }
 * }
 * }</pre>
 */
public final class JsonReader {
    private JsonReader() {
    }

    /** Fails unless the current token starts an object. */
    public static void expectObject(JsonParser p, String what) throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            throw mismatch(p, what + " must be a JSON object");
        }
    }

    /** Moves to the next field's value; false at the end of the object. */
    public static boolean nextField(JsonParser p) throws IOException {
        JsonToken t = p.nextToken();
        if (t == JsonToken.END_OBJECT) {
            return false;
        }
        if (t != JsonToken.FIELD_NAME) {
            throw mismatch(p, "expected a field name");
        }
        p.nextToken();
        return true;
    }

    /** Text, or a number or boolean as its JSON text (databind's coercion); null for JSON null. */
    public static String string(JsonParser p) throws IOException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_NULL) {
            return null;
        }
        if (t.isScalarValue()) {
            return p.getText();
        }
        throw mismatch(p, "expected a string");
    }

    private static <T> T nonNull(JsonParser p, T value, String what) throws IOException {
        if (value == null) {
            throw mismatch(p, "null where a " + what + " is required");
        }
        return value;
    }

    public static long longValue(JsonParser p) throws IOException {
        return nonNull(p, longOrNull(p), "number");
    }

    public static Long longOrNull(JsonParser p) throws IOException {
        return switch (p.currentToken()) {
            case VALUE_NULL -> null;
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> inRange(p);
            case VALUE_STRING -> parseLong(p);
            default -> throw mismatch(p, "expected a number");
        };
    }

    public static int intValue(JsonParser p) throws IOException {
        return nonNull(p, intOrNull(p), "number");
    }

    public static Integer intOrNull(JsonParser p) throws IOException {
        Long v = longOrNull(p);
        if (v != null && (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE)) {
            throw mismatch(p, "number " + v + " is out of range of an int");
        }
        return v == null ? null : v.intValue();
    }

    public static boolean booleanValue(JsonParser p) throws IOException {
        return nonNull(p, booleanOrNull(p), "boolean");
    }

    /** JSON true and false; also an integer (0 is false) and "true"/"false" text, which databind accepts. */
    public static Boolean booleanOrNull(JsonParser p) throws IOException {
        return switch (p.currentToken()) {
            case VALUE_NULL -> null;
            case VALUE_TRUE -> true;
            case VALUE_FALSE -> false;
            case VALUE_NUMBER_INT -> !"0".equals(p.getText());
            case VALUE_STRING -> switch (p.getText().trim()) {
                case "true", "True", "TRUE" -> true;
                case "false", "False", "FALSE" -> false;
                default -> throw mismatch(p, "expected a boolean");
            };
            default -> throw mismatch(p, "expected a boolean");
        };
    }

    /**
     * {@code value}, or a mismatch when the field was absent: databind, with FAIL_ON_NULL_FOR_PRIMITIVES (as
     * {@code OciJson.mapper()} has it), rejects a record whose primitive component is missing, not only null.
     */
    public static <T> T required(JsonParser p, T value, String field) throws IOException {
        if (value == null) {
            throw mismatch(p, "missing required field \"" + field + "\"");
        }
        return value;
    }

    /** An array whose elements {@code element} reads (null elements stay null); null for JSON null. */
    public static <T> List<T> list(JsonParser p, Json.ValueReader<T> element) throws IOException {
        if (p.currentToken() == JsonToken.VALUE_NULL) {
            return null;
        }
        if (p.currentToken() != JsonToken.START_ARRAY) {
            throw mismatch(p, "expected an array");
        }
        List<T> out = new ArrayList<>();
        while (p.nextToken() != JsonToken.END_ARRAY) {
            out.add(element.read(p));
        }
        return out;
    }

    public static List<String> stringList(JsonParser p) throws IOException {
        return list(p, JsonReader::string);
    }

    /** An object as a map in field order, its values read by {@code value}; null for JSON null. */
    public static <T> Map<String, T> map(JsonParser p, Json.ValueReader<T> value) throws IOException {
        if (p.currentToken() == JsonToken.VALUE_NULL) {
            return null;
        }
        expectObject(p, "map");
        Map<String, T> out = new LinkedHashMap<>();
        while (nextField(p)) {
            String key = p.currentName();
            out.put(key, value.read(p));
        }
        return out;
    }

    public static Map<String, String> stringMap(JsonParser p) throws IOException {
        return map(p, JsonReader::string);
    }

    /**
     * Any value as plain Java, the types databind gives an {@code Object}: maps (in field order), lists,
     * strings, Integer/Long/BigInteger, Double, Boolean, null.
     */
    public static Object any(JsonParser p) throws IOException {
        return switch (p.currentToken()) {
            case START_OBJECT -> map(p, JsonReader::any);
            case START_ARRAY -> list(p, JsonReader::any);
            case VALUE_STRING -> p.getText();
            case VALUE_NUMBER_INT -> p.getNumberValue();
            case VALUE_NUMBER_FLOAT -> p.getDoubleValue();
            case VALUE_TRUE -> Boolean.TRUE;
            case VALUE_FALSE -> Boolean.FALSE;
            case VALUE_NULL -> null;
            default -> throw mismatch(p, "unexpected " + p.currentToken());
        };
    }

    /** An error at the parser's location, naming the field being read when there is one. */
    public static JsonMismatchException mismatch(JsonParser p, String message) throws IOException {
        String field = p.currentName();
        return new JsonMismatchException(p, field == null ? message : message + " (field \"" + field + "\")", null);
    }

    /** The number as a long, a float's fraction dropped as databind drops it; beyond long's range a mismatch. */
    private static long inRange(JsonParser p) throws IOException {
        try {
            return p.getLongValue();
        } catch (InputCoercionException e) {
            throw mismatch(p, "number " + p.getText() + " is out of range of a long");
        }
    }

    private static long parseLong(JsonParser p) throws IOException {
        try {
            return Long.parseLong(p.getText().trim());
        } catch (NumberFormatException e) {
            throw mismatch(p, "expected a number, got \"" + p.getText() + "\"");
        }
    }
}
