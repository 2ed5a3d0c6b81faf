package dev.jcontainers.oci.image;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.jcontainers.api.MalformedContentException;
import dev.jcontainers.api.UnsupportedMediaTypeException;
import dev.jcontainers.oci.json.Json;
import dev.jcontainers.oci.json.JsonMismatchException;

import java.io.IOException;

/**
 * Parsing and writing of OCI JSON documents. Parsing validates what the specs require, so that later code
 * can trust a parsed document. Digests are always taken over the bytes as received, never over what this
 * class would write back.
 *
 * <p>Manifests, indexes, image configs and index.json are read (and index.json written) with the streaming
 * codecs of this package, which a cold {@code jc run} can afford; databind's mapper, for every other
 * document, is built on first use.
 */
public final class OciJson {
    private OciJson() {
    }

    /** The shared mapper, configured as the streaming codecs behave: unknown fields ignored, no null primitives. */
    public static ObjectMapper mapper() {
        return Databind.MAPPER;
    }

    public static byte[] write(Object value) {
        try {
            return Databind.MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + value.getClass().getSimpleName(), e);
        }
    }

    /** An image index as {@code index.json} holds it: the bytes {@link #write} gives, without databind. */
    public static byte[] writeIndex(ImageIndex index) {
        return Json.write(index, ManifestJson::writeIndex);
    }

    /**
     * Parses a manifest or index. {@code contentType} is the HTTP Content-Type (or descriptor media type),
     * used when the document does not name its own media type; may be null.
     */
    public static ManifestDocument parseManifest(byte[] bytes, String contentType) {
        ManifestJson.Shape shape = shape(bytes, "manifest");
        String declared = shape.mediaType();
        String type = declared != null ? declared : stripParams(contentType);
        if (type == null || type.isEmpty() || type.equals("application/json")) {
            type = shape.hasManifests() ? MediaTypes.OCI_INDEX : shape.hasConfig() ? MediaTypes.OCI_MANIFEST : null;
        }
        if (shape.schema1() || MediaTypes.DOCKER_SCHEMA1.equals(type)
                || MediaTypes.DOCKER_SCHEMA1_SIGNED.equals(type)) {
            throw new UnsupportedMediaTypeException(type == null ? MediaTypes.DOCKER_SCHEMA1 : type,
                    "Docker schema 1 manifests are deprecated and not supported");
        }
        if (type == null) {
            throw new MalformedContentException("document is neither a manifest nor an index");
        }
        if (MediaTypes.isIndex(type)) {
            ImageIndex index = parse(bytes, ManifestJson::readIndex, "index");
            requireSchema2(index.schemaVersion(), "index");
            for (Descriptor d : index.manifests()) {
                checkDescriptor(d, "index entry");
            }
            return index;
        }
        if (MediaTypes.isManifest(type)) {
            ImageManifest m = parse(bytes, ManifestJson::readManifest, "manifest");
            requireSchema2(m.schemaVersion(), "manifest");
            if (m.config() == null) {
                throw new MalformedContentException("manifest has no config descriptor");
            }
            checkDescriptor(m.config(), "config");
            if (m.layers() == null) {
                throw new MalformedContentException("manifest has no layers array");
            }
            for (Descriptor d : m.layers()) {
                checkDescriptor(d, "layer");
            }
            if (m.mediaType() == null) {
                return new ImageManifest(m.schemaVersion(), type, m.artifactType(), m.config(), m.layers(),
                        m.subject(), m.annotations());
            }
            return m;
        }
        throw new UnsupportedMediaTypeException(type, "expected an image manifest or index");
    }

    public static ImageConfig parseConfig(byte[] bytes) {
        ImageConfig c = parse(bytes, ImageConfigJson::read, "image config");
        if (c.rootfs() == null || c.rootfs().diffIds() == null) {
            throw new MalformedContentException("image config has no rootfs.diff_ids");
        }
        for (String id : c.rootfs().diffIds()) {
            Digest.parse(id);
        }
        return c;
    }

    public static ImageIndex parseIndex(byte[] bytes) {
        ManifestDocument doc = parseManifest(bytes, MediaTypes.OCI_INDEX);
        if (doc instanceof ImageIndex i) {
            return i;
        }
        throw new MalformedContentException("expected an image index, got a manifest");
    }

    public static <T> T read(byte[] bytes, Class<T> type) {
        return convert(readTree(bytes, type.getSimpleName()), type, type.getSimpleName());
    }

    /** What the document is; the whole of it is parsed, so that invalid JSON fails here, as one error. */
    private static ManifestJson.Shape shape(byte[] bytes, String what) {
        ManifestJson.Shape shape;
        try {
            shape = Json.read(bytes, ManifestJson::readShape);
        } catch (IOException e) {
            throw new MalformedContentException(what + " is not valid JSON: " + e.getMessage(), e);
        }
        if (!shape.isObject()) {
            throw new MalformedContentException(what + " is not a JSON object");
        }
        return shape;
    }

    private static <T> T parse(byte[] bytes, Json.ValueReader<T> reader, String what) {
        try {
            return Json.read(bytes, p -> {
                if (p.currentToken() != JsonToken.START_OBJECT) {
                    throw new MalformedContentException(what + " is not a JSON object");
                }
                return reader.read(p);
            });
        } catch (JsonMismatchException e) {
            throw new MalformedContentException("malformed " + what + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new MalformedContentException(what + " is not valid JSON: " + e.getMessage(), e);
        }
    }

    private static JsonNode readTree(byte[] bytes, String what) {
        try {
            JsonNode tree = Databind.MAPPER.readTree(bytes);
            if (tree == null || !tree.isObject()) {
                throw new MalformedContentException(what + " is not a JSON object");
            }
            return tree;
        } catch (IOException e) {
            throw new MalformedContentException(what + " is not valid JSON: " + e.getMessage(), e);
        }
    }

    private static <T> T convert(JsonNode tree, Class<T> type, String what) {
        try {
            return Databind.MAPPER.treeToValue(tree, type);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new MalformedContentException("malformed " + what + ": " + e.getMessage(), e);
        }
    }

    private static void requireSchema2(int version, String what) {
        if (version != 2) {
            throw new MalformedContentException(what + " schemaVersion must be 2, got " + version);
        }
    }

    private static void checkDescriptor(Descriptor d, String what) {
        if (d == null) {
            throw new MalformedContentException(what + " descriptor is null");
        }
        if (d.mediaType() == null || d.mediaType().isEmpty()) {
            throw new MalformedContentException(what + " descriptor has no mediaType");
        }
        d.parsedDigest();
        if (d.size() < 0) {
            throw new MalformedContentException(what + " descriptor has negative size");
        }
    }

    static String stripParams(String contentType) {
        if (contentType == null) {
            return null;
        }
        int semi = contentType.indexOf(';');
        return (semi < 0 ? contentType : contentType.substring(0, semi)).trim();
    }

    /** Built on first use: a cold {@code jc run} never needs it. */
    private static final class Databind {
        static final ObjectMapper MAPPER = JsonMapper.builder()
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .disable(SerializationFeature.INDENT_OUTPUT)
                .build();
    }
}
