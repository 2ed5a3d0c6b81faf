package dev.jcontainers.oci.image;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.jcontainers.oci.json.JsonReader;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import static dev.jcontainers.oci.json.JsonWriter.Omit.EMPTY;
import static dev.jcontainers.oci.json.JsonWriter.list;
import static dev.jcontainers.oci.json.JsonWriter.object;
import static dev.jcontainers.oci.json.JsonWriter.string;
import static dev.jcontainers.oci.json.JsonWriter.stringList;
import static dev.jcontainers.oci.json.JsonWriter.stringMap;

/** {@link Descriptor} and its {@link DescriptorPlatform} on Jackson's streaming API (see {@code oci.json}). */
final class DescriptorJson {
    private DescriptorJson() {
    }

    static Descriptor read(JsonParser p) throws IOException {
        if (p.currentToken() == JsonToken.VALUE_NULL) {
            return null;
        }
        JsonReader.expectObject(p, "descriptor");
        String mediaType = null;
        String digest = null;
        Long size = null;
        List<String> urls = null;
        Map<String, String> annotations = null;
        DescriptorPlatform platform = null;
        String artifactType = null;
        while (JsonReader.nextField(p)) {
            switch (p.currentName()) {
                case "mediaType" -> mediaType = JsonReader.string(p);
                case "digest" -> digest = JsonReader.string(p);
                case "size" -> size = JsonReader.longValue(p);
                case "urls" -> urls = JsonReader.stringList(p);
                case "annotations" -> annotations = JsonReader.stringMap(p);
                case "platform" -> platform = readPlatform(p);
                case "artifactType" -> artifactType = JsonReader.string(p);
                default -> p.skipChildren();
            }
        }
        return new Descriptor(mediaType, digest, JsonReader.required(p, size, "size"), urls, annotations, platform,
                artifactType);
    }

    static List<Descriptor> readList(JsonParser p) throws IOException {
        return JsonReader.list(p, DescriptorJson::read);
    }

    static void write(JsonGenerator g, Descriptor d) throws IOException {
        g.writeStartObject();
        string(g, EMPTY, "mediaType", d.mediaType());
        string(g, EMPTY, "digest", d.digest());
        g.writeNumberField("size", d.size());
        stringList(g, EMPTY, "urls", d.urls());
        stringMap(g, EMPTY, "annotations", d.annotations());
        object(g, EMPTY, "platform", d.platform(), DescriptorJson::writePlatform);
        string(g, EMPTY, "artifactType", d.artifactType());
        g.writeEndObject();
    }

    static void writeList(JsonGenerator g, String name, List<Descriptor> descriptors) throws IOException {
        list(g, EMPTY, name, descriptors, DescriptorJson::write);
    }

    private static DescriptorPlatform readPlatform(JsonParser p) throws IOException {
        if (p.currentToken() == JsonToken.VALUE_NULL) {
            return null;
        }
        JsonReader.expectObject(p, "platform");
        String architecture = null;
        String os = null;
        String osVersion = null;
        List<String> osFeatures = null;
        String variant = null;
        List<String> features = null;
        while (JsonReader.nextField(p)) {
            switch (p.currentName()) {
                case "architecture" -> architecture = JsonReader.string(p);
                case "os" -> os = JsonReader.string(p);
                case "os.version" -> osVersion = JsonReader.string(p);
                case "os.features" -> osFeatures = JsonReader.stringList(p);
                case "variant" -> variant = JsonReader.string(p);
                case "features" -> features = JsonReader.stringList(p);
                default -> p.skipChildren();
            }
        }
        return new DescriptorPlatform(architecture, os, osVersion, osFeatures, variant, features);
    }

    private static void writePlatform(JsonGenerator g, DescriptorPlatform p) throws IOException {
        g.writeStartObject();
        string(g, EMPTY, "architecture", p.architecture());
        string(g, EMPTY, "os", p.os());
        string(g, EMPTY, "os.version", p.osVersion());
        stringList(g, EMPTY, "os.features", p.osFeatures());
        string(g, EMPTY, "variant", p.variant());
        stringList(g, EMPTY, "features", p.features());
        g.writeEndObject();
    }
}
