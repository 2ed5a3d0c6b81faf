package dev.jcontainers.testkit;

import java.nio.charset.StandardCharsets;

/** Fields a newer writer may add to a JSON file, which readers of today must skip. */
public final class UnknownFields {
    private UnknownFields() {
    }

    /** {@code json}, an object, with unknown fields of every JSON kind before and after its own. */
    public static byte[] around(byte[] json) {
        String s = new String(json, StandardCharsets.UTF_8).strip();
        if (!s.startsWith("{") || !s.endsWith("}")) {
            throw new IllegalArgumentException("not a JSON object: " + s);
        }
        String inner = s.substring(1, s.length() - 1).strip();
        return ("{\"x-new\":{\"a\":[1,2.5,{\"b\":null}],\"mediaType\":7,\"id\":\"\"},\"x-list\":[[]],"
                + inner + (inner.isEmpty() ? "" : ",") + "\"x-last\":true}").getBytes(StandardCharsets.UTF_8);
    }
}
