package dev.jcontainers.oci.layer;

import java.time.Instant;
import java.util.Objects;

/**
 * How a directory is packed into a layer.
 *
 * @param compression how the tar stream is compressed
 * @param mtimeClamp  when set, later mtimes are lowered to it (SOURCE_DATE_EPOCH style), earlier ones kept
 * @param fixedMtime  when set, every entry gets exactly this mtime; excludes {@code mtimeClamp}
 */
public record PackOptions(LayerCompression compression, Instant mtimeClamp, Instant fixedMtime) {
    public PackOptions {
        Objects.requireNonNull(compression, "compression");
        if (mtimeClamp != null && fixedMtime != null) {
            throw new IllegalArgumentException("choose a clamped or a fixed mtime, not both");
        }
    }

    public static PackOptions of(LayerCompression compression) {
        return new PackOptions(compression, null, null);
    }

    public PackOptions withMtimeClamp(Instant clamp) {
        return new PackOptions(compression, clamp, null);
    }

    public PackOptions withFixedMtime(Instant fixed) {
        return new PackOptions(compression, null, fixed);
    }

    /** The whole-second mtime an entry is written with. */
    long mtimeSeconds(Instant actual) {
        Instant chosen = fixedMtime != null ? fixedMtime
                : mtimeClamp != null && actual.isAfter(mtimeClamp) ? mtimeClamp : actual;
        return chosen.getEpochSecond();
    }
}
