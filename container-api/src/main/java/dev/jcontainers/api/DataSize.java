package dev.jcontainers.api;

import java.util.Locale;

/** A byte count, for memory limits and tmpfs sizes. Binary units, as Docker's {@code -m 64m} means 64 MiB. */
public record DataSize(long bytes) implements Comparable<DataSize> {
    public DataSize {
        if (bytes < 0) {
            throw new IllegalArgumentException("size must not be negative: " + bytes);
        }
    }

    public static DataSize ofBytes(long bytes) {
        return new DataSize(bytes);
    }

    public static DataSize ofKilobytes(long kib) {
        return new DataSize(Math.multiplyExact(kib, 1024L));
    }

    public static DataSize ofMegabytes(long mib) {
        return new DataSize(Math.multiplyExact(mib, 1024L * 1024));
    }

    public static DataSize ofGigabytes(long gib) {
        return new DataSize(Math.multiplyExact(gib, 1024L * 1024 * 1024));
    }

    /** Docker's notation: a number with an optional unit b, k, m, g (case-insensitive, optional trailing b). */
    public static DataSize parse(String text) {
        String s = text.trim().toLowerCase(Locale.ROOT);
        if (s.endsWith("b") && s.length() > 1 && !Character.isDigit(s.charAt(s.length() - 2))) {
            s = s.substring(0, s.length() - 1);
        }
        long unit = 1;
        char last = s.isEmpty() ? ' ' : s.charAt(s.length() - 1);
        switch (last) {
            case 'k' -> unit = 1024L;
            case 'm' -> unit = 1024L * 1024;
            case 'g' -> unit = 1024L * 1024 * 1024;
            case 't' -> unit = 1024L * 1024 * 1024 * 1024;
            case 'b' -> unit = 1;
            default -> {
                if (!Character.isDigit(last)) {
                    throw new IllegalArgumentException("invalid size: " + text);
                }
            }
        }
        String number = Character.isDigit(last) ? s : s.substring(0, s.length() - 1);
        try {
            double value = Double.parseDouble(number);
            if (value < 0 || Double.isNaN(value) || Double.isInfinite(value)) {
                throw new IllegalArgumentException("invalid size: " + text);
            }
            return new DataSize((long) (value * unit));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("invalid size: " + text);
        }
    }

    public long toMegabytes() {
        return bytes / (1024L * 1024);
    }

    @Override
    public int compareTo(DataSize o) {
        return Long.compare(bytes, o.bytes);
    }

    @Override
    public String toString() {
        return bytes + "B";
    }
}
