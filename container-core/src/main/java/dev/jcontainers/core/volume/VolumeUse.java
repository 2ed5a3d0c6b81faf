package dev.jcontainers.core.volume;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import dev.jcontainers.api.StorageException;
import dev.jcontainers.oci.json.Json;
import dev.jcontainers.oci.json.JsonReader;
import dev.jcontainers.oci.json.JsonWriter;
import dev.jcontainers.oci.store.AtomicFiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code containers/<id>/volumes.json}: the volumes a container references, and which of them were made
 * for it (anonymous, removed with it on request). Living in the container's directory, a reference ends
 * when the container's directory is deleted, whichever JVM deletes it. Read and written on Jackson's
 * streaming API (removing a container reads it), in the shape databind gave it.
 */
public record VolumeUse(List<String> volumes, List<String> anonymous) {
    static final String FILE = "volumes.json";

    public VolumeUse {
        volumes = List.copyOf(volumes);
        anonymous = List.copyOf(anonymous);
    }

    public void write(Path containerDir) {
        AtomicFiles.write(containerDir.resolve(FILE), Json.write(this, VolumeUse::toJson), containerDir, ".volumes-");
    }

    /** What the container in {@code containerDir} references; nothing if it has no volumes or is gone. */
    public static VolumeUse read(Path containerDir) {
        try {
            return Json.read(Files.readAllBytes(containerDir.resolve(FILE)), VolumeUse::fromJson);
        } catch (NoSuchFileException e) {
            return new VolumeUse(List.of(), List.of());
        } catch (IOException e) {
            throw new StorageException("cannot read " + containerDir.resolve(FILE) + ": " + e.getMessage(), e);
        }
    }

    private static void toJson(JsonGenerator g, VolumeUse use) throws IOException {
        g.writeStartObject();
        JsonWriter.stringList(g, JsonWriter.Omit.NOTHING, "volumes", use.volumes());
        JsonWriter.stringList(g, JsonWriter.Omit.NOTHING, "anonymous", use.anonymous());
        g.writeEndObject();
    }

    private static VolumeUse fromJson(JsonParser p) throws IOException {
        JsonReader.expectObject(p, FILE);
        List<String> volumes = null;
        List<String> anonymous = null;
        while (JsonReader.nextField(p)) {
            switch (p.currentName()) {
                case "volumes" -> volumes = JsonReader.stringList(p);
                case "anonymous" -> anonymous = JsonReader.stringList(p);
                default -> p.skipChildren();
            }
        }
        return new VolumeUse(volumes, anonymous);
    }
}
