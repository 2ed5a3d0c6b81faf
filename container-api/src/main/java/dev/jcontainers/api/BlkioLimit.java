package dev.jcontainers.api;

import java.util.Locale;
import java.util.Objects;

/**
 * A block I/O throttle on one device: Docker's {@code --device-read-bps}, {@code --device-write-bps},
 * {@code --device-read-iops} and {@code --device-write-iops}.
 */
public record BlkioLimit(String device, Kind kind, long rate) {
    public enum Kind {
        READ_BPS, WRITE_BPS, READ_IOPS, WRITE_IOPS
    }

    public BlkioLimit {
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(kind, "kind");
        if (!device.startsWith("/")) {
            throw new IllegalArgumentException("block device must be an absolute path: " + device);
        }
        if (rate <= 0) {
            throw new IllegalArgumentException("rate must be positive: " + rate);
        }
    }

    /** {@code /dev/sda:1mb} (bytes per second, Docker's size units) or {@code /dev/sda:1000} (iops). */
    public static BlkioLimit parse(Kind kind, String text) {
        int colon = text.lastIndexOf(':');
        if (colon <= 0 || colon == text.length() - 1) {
            throw new IllegalArgumentException("expected DEVICE:RATE, got " + text);
        }
        String rate = text.substring(colon + 1).toLowerCase(Locale.ROOT);
        long value = kind == Kind.READ_BPS || kind == Kind.WRITE_BPS ? DataSize.parse(rate).bytes() : Long.parseLong(rate);
        return new BlkioLimit(text.substring(0, colon), kind, value);
    }
}
