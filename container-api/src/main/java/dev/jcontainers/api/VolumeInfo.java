package dev.jcontainers.api;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;

/**
 * A named volume, as {@code docker volume inspect} shows it. {@code mountpoint} is the host directory
 * containers see at the volume's target; {@code driver} is always {@code local}.
 */
public record VolumeInfo(String name, String driver, Path mountpoint, Instant created, Map<String, String> labels) {
    /** The label Docker puts on a volume it made for a container (an image {@code VOLUME} or {@code -v /path}). */
    public static final String ANONYMOUS_LABEL = "dev.jcontainers.anonymous";

    public VolumeInfo {
        labels = labels == null ? Map.of() : Map.copyOf(labels);
    }

    public boolean anonymous() {
        return "true".equals(labels.get(ANONYMOUS_LABEL));
    }
}
