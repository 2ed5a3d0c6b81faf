package dev.jcontainers.core.volume;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dev.jcontainers.api.StorageException;
import dev.jcontainers.oci.image.OciJson;
import dev.jcontainers.oci.store.AtomicFiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code containers/<id>/volumes.json}: the volumes a container references, and which of them were made
 * for it (anonymous, removed with it on request). Living in the container's directory, a reference ends
 * when the container's directory is deleted, whichever JVM deletes it.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record VolumeUse(List<String> volumes, List<String> anonymous) {
    static final String FILE = "volumes.json";

    public VolumeUse {
        volumes = List.copyOf(volumes);
        anonymous = List.copyOf(anonymous);
    }

    public void write(Path containerDir) {
        try {
            AtomicFiles.write(containerDir.resolve(FILE), OciJson.mapper().writeValueAsBytes(this), containerDir,
                    ".volumes-");
        } catch (IOException e) {
            throw new StorageException("cannot write " + containerDir.resolve(FILE) + ": " + e.getMessage(), e);
        }
    }

    /** What the container in {@code containerDir} references; nothing if it has no volumes or is gone. */
    public static VolumeUse read(Path containerDir) {
        try {
            return OciJson.mapper().readValue(Files.readAllBytes(containerDir.resolve(FILE)), VolumeUse.class);
        } catch (NoSuchFileException e) {
            return new VolumeUse(List.of(), List.of());
        } catch (IOException e) {
            throw new StorageException("cannot read " + containerDir.resolve(FILE) + ": " + e.getMessage(), e);
        }
    }
}
