package dev.jcontainers.oci.image;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.jcontainers.oci.json.JsonReader;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * Reading {@link ImageConfig} on Jackson's streaming API (see {@code oci.json}). There is no writer: stored
 * configs are never re-serialised, and the image builder writes new ones with databind.
 */
final class ImageConfigJson {
    private ImageConfigJson() {
    }

    static ImageConfig read(JsonParser p) throws IOException {
        JsonReader.expectObject(p, "image config");
        String created = null;
        String author = null;
        String architecture = null;
        String os = null;
        String osVersion = null;
        String variant = null;
        ImageConfig.RuntimeConfig config = null;
        ImageConfig.RootFs rootfs = null;
        List<ImageConfig.History> history = null;
        while (JsonReader.nextField(p)) {
            switch (p.currentName()) {
                case "created" -> created = JsonReader.string(p);
                case "author" -> author = JsonReader.string(p);
                case "architecture" -> architecture = JsonReader.string(p);
                case "os" -> os = JsonReader.string(p);
                case "os.version" -> osVersion = JsonReader.string(p);
                case "variant" -> variant = JsonReader.string(p);
                case "config" -> config = readRuntimeConfig(p);
                case "rootfs" -> rootfs = readRootFs(p);
                case "history" -> history = JsonReader.list(p, ImageConfigJson::readHistory);
                default -> p.skipChildren();
            }
        }
        return new ImageConfig(created, author, architecture, os, osVersion, variant, config, rootfs, history);
    }

    private static ImageConfig.RuntimeConfig readRuntimeConfig(JsonParser p) throws IOException {
        if (p.currentToken() == JsonToken.VALUE_NULL) {
            return null;
        }
        JsonReader.expectObject(p, "config");
        String user = null;
        Map<String, Object> exposedPorts = null;
        List<String> env = null;
        List<String> entrypoint = null;
        List<String> cmd = null;
        Map<String, Object> volumes = null;
        String workingDir = null;
        Map<String, String> labels = null;
        String stopSignal = null;
        Boolean argsEscaped = null;
        ImageConfig.HealthConfig healthcheck = null;
        List<String> onBuild = null;
        List<String> shell = null;
        while (JsonReader.nextField(p)) {
            switch (p.currentName()) {
                case "User" -> user = JsonReader.string(p);
                case "ExposedPorts" -> exposedPorts = JsonReader.map(p, JsonReader::any);
                case "Env" -> env = JsonReader.stringList(p);
                case "Entrypoint" -> entrypoint = JsonReader.stringList(p);
                case "Cmd" -> cmd = JsonReader.stringList(p);
                case "Volumes" -> volumes = JsonReader.map(p, JsonReader::any);
                case "WorkingDir" -> workingDir = JsonReader.string(p);
                case "Labels" -> labels = JsonReader.stringMap(p);
                case "StopSignal" -> stopSignal = JsonReader.string(p);
                case "ArgsEscaped" -> argsEscaped = JsonReader.booleanOrNull(p);
                case "Healthcheck" -> healthcheck = readHealth(p);
                case "OnBuild" -> onBuild = JsonReader.stringList(p);
                case "Shell" -> shell = JsonReader.stringList(p);
                default -> p.skipChildren();
            }
        }
        return new ImageConfig.RuntimeConfig(user, exposedPorts, env, entrypoint, cmd, volumes, workingDir, labels,
                stopSignal, argsEscaped, healthcheck, onBuild, shell);
    }

    private static ImageConfig.HealthConfig readHealth(JsonParser p) throws IOException {
        if (p.currentToken() == JsonToken.VALUE_NULL) {
            return null;
        }
        JsonReader.expectObject(p, "Healthcheck");
        List<String> test = null;
        Long interval = null;
        Long timeout = null;
        Long startPeriod = null;
        Long startInterval = null;
        Integer retries = null;
        while (JsonReader.nextField(p)) {
            switch (p.currentName()) {
                case "Test" -> test = JsonReader.stringList(p);
                case "Interval" -> interval = JsonReader.longOrNull(p);
                case "Timeout" -> timeout = JsonReader.longOrNull(p);
                case "StartPeriod" -> startPeriod = JsonReader.longOrNull(p);
                case "StartInterval" -> startInterval = JsonReader.longOrNull(p);
                case "Retries" -> retries = JsonReader.intOrNull(p);
                default -> p.skipChildren();
            }
        }
        return new ImageConfig.HealthConfig(test, interval, timeout, startPeriod, startInterval, retries);
    }

    private static ImageConfig.RootFs readRootFs(JsonParser p) throws IOException {
        if (p.currentToken() == JsonToken.VALUE_NULL) {
            return null;
        }
        JsonReader.expectObject(p, "rootfs");
        String type = null;
        List<String> diffIds = null;
        while (JsonReader.nextField(p)) {
            switch (p.currentName()) {
                case "type" -> type = JsonReader.string(p);
                case "diff_ids" -> diffIds = JsonReader.stringList(p);
                default -> p.skipChildren();
            }
        }
        return new ImageConfig.RootFs(type, diffIds);
    }

    private static ImageConfig.History readHistory(JsonParser p) throws IOException {
        if (p.currentToken() == JsonToken.VALUE_NULL) {
            return null;
        }
        JsonReader.expectObject(p, "history entry");
        String created = null;
        String createdBy = null;
        String author = null;
        String comment = null;
        Boolean emptyLayer = null;
        while (JsonReader.nextField(p)) {
            switch (p.currentName()) {
                case "created" -> created = JsonReader.string(p);
                case "created_by" -> createdBy = JsonReader.string(p);
                case "author" -> author = JsonReader.string(p);
                case "comment" -> comment = JsonReader.string(p);
                case "empty_layer" -> emptyLayer = JsonReader.booleanOrNull(p);
                default -> p.skipChildren();
            }
        }
        return new ImageConfig.History(created, createdBy, author, comment, emptyLayer);
    }
}
