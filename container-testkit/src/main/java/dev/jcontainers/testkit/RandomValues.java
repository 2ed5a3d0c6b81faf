package dev.jcontainers.testkit;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;

/**
 * Random field values for property tests of record codecs: strings that JSON must escape (quotes,
 * backslashes, control characters, non-BMP characters) or that are empty, numbers at their limits, and
 * nulls and empty collections where a record may hold them.
 */
public final class RandomValues {
    private static final String[] PIECES = {"", "a", "sha256", "/bin/sh", "\"", "\\", "\n", "\t", "\u0001", "\u007f",
        "é", "日本", "\uD83D\uDE00", "</script>", " ", "0", "null", "{}", "[1]", "PATH=/usr/bin"};
    private static final long[] LONGS = {0, 1, -1, 42, 65_536, Integer.MAX_VALUE, Integer.MIN_VALUE,
        Long.MAX_VALUE, Long.MIN_VALUE};

    private final Random random;

    public RandomValues(Random random) {
        this.random = random;
    }

    public String string() {
        StringBuilder sb = new StringBuilder();
        for (int i = random.nextInt(4); i > 0; i--) {
            sb.append(PIECES[random.nextInt(PIECES.length)]);
        }
        return sb.toString();
    }

    public long anyLong() {
        return random.nextBoolean() ? LONGS[random.nextInt(LONGS.length)] : random.nextLong();
    }

    public int anyInt() {
        long v = anyLong();
        return v == (int) v ? (int) v : random.nextInt();
    }

    public boolean bool() {
        return random.nextBoolean();
    }

    /** null about one time in four. */
    public <T> T nullable(Supplier<T> value) {
        return random.nextInt(4) == 0 ? null : value.get();
    }

    public String nullableString() {
        return nullable(this::string);
    }

    public Long nullableLong() {
        return nullable(this::anyLong);
    }

    public Integer nullableInt() {
        return nullable(this::anyInt);
    }

    public Boolean nullableBoolean() {
        return nullable(this::bool);
    }

    /** Zero to three elements. */
    public <T> List<T> list(Supplier<T> element) {
        List<T> out = new ArrayList<>();
        for (int i = random.nextInt(4); i > 0; i--) {
            out.add(element.get());
        }
        return out;
    }

    public List<String> strings() {
        return list(this::string);
    }

    /** Zero to three entries, in insertion order. */
    public <T> Map<String, T> map(Supplier<T> value) {
        Map<String, T> out = new LinkedHashMap<>();
        for (int i = random.nextInt(4); i > 0; i--) {
            out.put(string(), value.get());
        }
        return out;
    }

    public Map<String, String> stringMap() {
        return map(this::string);
    }

    @SafeVarargs
    public final <T> T oneOf(T... values) {
        return values[random.nextInt(values.length)];
    }
}
