package dev.jcontainers.oci.image;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.jcontainers.oci.json.JsonReader;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import static dev.jcontainers.oci.json.JsonWriter.Omit.EMPTY;
import static dev.jcontainers.oci.json.JsonWriter.string;
import static dev.jcontainers.oci.json.JsonWriter.stringMap;

/** {@link ImageIndex} and {@link ImageManifest} on Jackson's streaming API (see {@code oci.json}). */
final class ManifestJson {
    private ManifestJson() {
    }

    /**
     * The fields that say what a document is, read before it is parsed as one type: the top-level
     * {@code mediaType} when it is a string, whether {@code manifests} and {@code config} are present, and
     * whether {@code schemaVersion} reads as 1 the lenient way databind's {@code asInt} reads it.
     */
    record Shape(boolean isObject, String mediaType, boolean hasManifests, boolean hasConfig, boolean schema1) {
        static final Shape NOT_AN_OBJECT = new Shape(false, null, false, false, false);
    }

    static Shape readShape(JsonParser p) throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            p.skipChildren();
            return Shape.NOT_AN_OBJECT;
        }
        String mediaType = null;
        boolean hasManifests = false;
        boolean hasConfig = false;
        boolean schema1 = false;
        while (JsonReader.nextField(p)) {
            switch (p.currentName()) {
                case "mediaType" -> mediaType = p.currentToken() == JsonToken.VALUE_STRING ? p.getText() : null;
                case "manifests" -> hasManifests = true;
                case "config" -> hasConfig = true;
                case "schemaVersion" -> schema1 = isOne(p);
                default -> { }
            }
            p.skipChildren();
        }
        return new Shape(true, mediaType, hasManifests, hasConfig, schema1);
    }

    private static boolean isOne(JsonParser p) throws IOException {
        return switch (p.currentToken()) {
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> p.getValueAsInt(-1) == 1;
            case VALUE_STRING -> p.getText().trim().equals("1");
            case VALUE_TRUE -> true;
            default -> false;
        };
    }

    static ImageIndex readIndex(JsonParser p) throws IOException {
        JsonReader.expectObject(p, "index");
        Integer schemaVersion = null;
        String mediaType = null;
        List<Descriptor> manifests = null;
        Map<String, String> annotations = null;
        while (JsonReader.nextField(p)) {
            switch (p.currentName()) {
                case "schemaVersion" -> schemaVersion = JsonReader.intValue(p);
                case "mediaType" -> mediaType = JsonReader.string(p);
                case "manifests" -> manifests = DescriptorJson.readList(p);
                case "annotations" -> annotations = JsonReader.stringMap(p);
                default -> p.skipChildren();
            }
        }
        return new ImageIndex(JsonReader.required(p, schemaVersion, "schemaVersion"), mediaType, manifests,
                annotations);
    }

    static ImageManifest readManifest(JsonParser p) throws IOException {
        JsonReader.expectObject(p, "manifest");
        Integer schemaVersion = null;
        String mediaType = null;
        String artifactType = null;
        Descriptor config = null;
        List<Descriptor> layers = null;
        Descriptor subject = null;
        Map<String, String> annotations = null;
        while (JsonReader.nextField(p)) {
            switch (p.currentName()) {
                case "schemaVersion" -> schemaVersion = JsonReader.intValue(p);
                case "mediaType" -> mediaType = JsonReader.string(p);
                case "artifactType" -> artifactType = JsonReader.string(p);
                case "config" -> config = DescriptorJson.read(p);
                case "layers" -> layers = DescriptorJson.readList(p);
                case "subject" -> subject = DescriptorJson.read(p);
                case "annotations" -> annotations = JsonReader.stringMap(p);
                default -> p.skipChildren();
            }
        }
        return new ImageManifest(JsonReader.required(p, schemaVersion, "schemaVersion"), mediaType, artifactType,
                config, layers, subject, annotations);
    }

    static void writeIndex(JsonGenerator g, ImageIndex index) throws IOException {
        g.writeStartObject();
        g.writeNumberField("schemaVersion", index.schemaVersion());
        string(g, EMPTY, "mediaType", index.mediaType());
        DescriptorJson.writeList(g, "manifests", index.manifests());
        stringMap(g, EMPTY, "annotations", index.annotations());
        g.writeEndObject();
    }
}
