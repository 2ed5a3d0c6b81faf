package dev.jcontainers.core.container;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import dev.jcontainers.api.ContainerStatus;
import dev.jcontainers.oci.json.Json;
import dev.jcontainers.oci.json.JsonReader;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import static dev.jcontainers.oci.json.JsonWriter.Omit.NULL;
import static dev.jcontainers.oci.json.JsonWriter.number;
import static dev.jcontainers.oci.json.JsonWriter.string;
import static dev.jcontainers.oci.json.JsonWriter.stringList;
import static dev.jcontainers.oci.json.JsonWriter.stringMap;

/**
 * {@code container.json} on Jackson's streaming API (see {@code oci.json}), as databind wrote and reads
 * {@link ContainerRecord}: fields in component order, nulls left out, unknown fields ignored, and every
 * primitive component required.
 */
final class ContainerRecordJson {
    private ContainerRecordJson() {
    }

    static byte[] write(ContainerRecord r) {
        return Json.write(r, ContainerRecordJson::write);
    }

    static ContainerRecord read(byte[] bytes) throws IOException {
        return Json.read(bytes, ContainerRecordJson::read);
    }

    private static void write(JsonGenerator g, ContainerRecord r) throws IOException {
        g.writeStartObject();
        string(g, NULL, "id", r.id());
        string(g, NULL, "name", r.name());
        string(g, NULL, "image", r.image());
        string(g, NULL, "imageId", r.imageId());
        string(g, NULL, "created", r.created());
        stringList(g, NULL, "args", r.args());
        string(g, NULL, "hostname", r.hostname());
        stringMap(g, NULL, "labels", r.labels());
        g.writeBooleanField("detached", r.detached());
        g.writeBooleanField("autoRemove", r.autoRemove());
        string(g, NULL, "stopSignal", r.stopSignal());
        g.writeNumberField("stopTimeoutSeconds", r.stopTimeoutSeconds());
        string(g, NULL, "status", r.status() == null ? null : r.status().name());
        g.writeNumberField("pid", r.pid());
        g.writeNumberField("monitorPid", r.monitorPid());
        string(g, NULL, "startedAt", r.startedAt());
        string(g, NULL, "finishedAt", r.finishedAt());
        number(g, NULL, "exitCode", r.exitCode());
        g.writeBooleanField("oomKilled", r.oomKilled());
        stringList(g, NULL, "layers", r.layers());
        g.writeNumberField("ownerPid", r.ownerPid());
        string(g, NULL, "ownerStarted", r.ownerStarted());
        string(g, NULL, "restartPolicy", r.restartPolicy());
        g.writeEndObject();
    }

    private static ContainerRecord read(JsonParser p) throws IOException {
        JsonReader.expectObject(p, "container record");
        String id = null;
        String name = null;
        String image = null;
        String imageId = null;
        String created = null;
        List<String> args = null;
        String hostname = null;
        Map<String, String> labels = null;
        Boolean detached = null;
        Boolean autoRemove = null;
        String stopSignal = null;
        Long stopTimeoutSeconds = null;
        ContainerStatus status = null;
        Long pid = null;
        Long monitorPid = null;
        String startedAt = null;
        String finishedAt = null;
        Integer exitCode = null;
        Boolean oomKilled = null;
        List<String> layers = null;
        Long ownerPid = null;
        String ownerStarted = null;
        String restartPolicy = null;
        while (JsonReader.nextField(p)) {
            switch (p.currentName()) {
                case "id" -> id = JsonReader.string(p);
                case "name" -> name = JsonReader.string(p);
                case "image" -> image = JsonReader.string(p);
                case "imageId" -> imageId = JsonReader.string(p);
                case "created" -> created = JsonReader.string(p);
                case "args" -> args = JsonReader.stringList(p);
                case "hostname" -> hostname = JsonReader.string(p);
                case "labels" -> labels = JsonReader.stringMap(p);
                case "detached" -> detached = JsonReader.booleanValue(p);
                case "autoRemove" -> autoRemove = JsonReader.booleanValue(p);
                case "stopSignal" -> stopSignal = JsonReader.string(p);
                case "stopTimeoutSeconds" -> stopTimeoutSeconds = JsonReader.longValue(p);
                case "status" -> status = status(p);
                case "pid" -> pid = JsonReader.longValue(p);
                case "monitorPid" -> monitorPid = JsonReader.longValue(p);
                case "startedAt" -> startedAt = JsonReader.string(p);
                case "finishedAt" -> finishedAt = JsonReader.string(p);
                case "exitCode" -> exitCode = JsonReader.intOrNull(p);
                case "oomKilled" -> oomKilled = JsonReader.booleanValue(p);
                case "layers" -> layers = JsonReader.stringList(p);
                case "ownerPid" -> ownerPid = JsonReader.longValue(p);
                case "ownerStarted" -> ownerStarted = JsonReader.string(p);
                case "restartPolicy" -> restartPolicy = JsonReader.string(p);
                default -> p.skipChildren();
            }
        }
        return new ContainerRecord(id, name, image, imageId, created, args, hostname, labels,
                JsonReader.required(p, detached, "detached"), JsonReader.required(p, autoRemove, "autoRemove"),
                stopSignal, JsonReader.required(p, stopTimeoutSeconds, "stopTimeoutSeconds"), status,
                JsonReader.required(p, pid, "pid"), JsonReader.required(p, monitorPid, "monitorPid"), startedAt,
                finishedAt, exitCode, JsonReader.required(p, oomKilled, "oomKilled"), layers,
                JsonReader.required(p, ownerPid, "ownerPid"), ownerStarted, restartPolicy);
    }

    /** By constant name, as databind reads an enum. */
    private static ContainerStatus status(JsonParser p) throws IOException {
        String name = JsonReader.string(p);
        if (name == null) {
            return null;
        }
        try {
            return ContainerStatus.valueOf(name);
        } catch (IllegalArgumentException e) {
            throw JsonReader.mismatch(p, "not a container status: \"" + name + "\"");
        }
    }
}
