package dev.jcontainers.core.volume;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dev.jcontainers.api.VolumeInfo;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;

/** {@code volumes/<name>/volume.json}: what {@code docker volume inspect} shows. Times are RFC 3339 strings. */
@JsonIgnoreProperties(ignoreUnknown = true)
record VolumeRecord(String name, String driver, String mountpoint, String created, Map<String, String> labels) {
    VolumeInfo info() {
        return new VolumeInfo(name, driver, Path.of(mountpoint), Instant.parse(created), labels);
    }
}
