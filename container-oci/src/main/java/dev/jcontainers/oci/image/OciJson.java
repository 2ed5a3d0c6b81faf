package dev.jcontainers.oci.image;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.jcontainers.api.MalformedContentException;
import dev.jcontainers.api.UnsupportedMediaTypeException;

import java.io.IOException;

/**
 * Parsing and writing of OCI JSON documents. Parsing validates what the specs require, so that later code
 * can trust a parsed document. Digests are always taken over the bytes as received, never over what this
 * class would write back.
 */
public final class OciJson {
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .disable(SerializationFeature.INDENT_OUTPUT)
            .build();

    private OciJson() {
    }

    public static ObjectMapper mapper() {
        return MAPPER;
    }

    public static byte[] write(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + value.getClass().getSimpleName(), e);
        }
    }

    /**
     * Parses a manifest or index. {@code contentType} is the HTTP Content-Type (or descriptor media type),
     * used when the document does not name its own media type; may be null.
     */
    public static ManifestDocument parseManifest(byte[] bytes, String contentType) {
        JsonNode tree = readTree(bytes, "manifest");
        String declared = tree.path("mediaType").isTextual() ? tree.get("mediaType").asText() : null;
        String type = declared != null ? declared : stripParams(contentType);
        if (type == null || type.isEmpty() || type.equals("application/json")) {
            type = tree.has("manifests") ? MediaTypes.OCI_INDEX : tree.has("config") ? MediaTypes.OCI_MANIFEST : null;
        }
        if (tree.path("schemaVersion").asInt(-1) == 1 || MediaTypes.DOCKER_SCHEMA1.equals(type)
                || MediaTypes.DOCKER_SCHEMA1_SIGNED.equals(type)) {
            throw new UnsupportedMediaTypeException(type == null ? MediaTypes.DOCKER_SCHEMA1 : type,
                    "Docker schema 1 manifests are deprecated and not supported");
        }
        if (type == null) {
            throw new MalformedContentException("document is neither a manifest nor an index");
        }
        if (MediaTypes.isIndex(type)) {
            ImageIndex index = convert(tree, ImageIndex.class, "index");
            requireSchema2(index.schemaVersion(), "index");
            for (Descriptor d : index.manifests()) {
                checkDescriptor(d, "index entry");
            }
            return index;
        }
        if (MediaTypes.isManifest(type)) {
            ImageManifest m = convert(tree, ImageManifest.class, "manifest");
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
        ImageConfig c = convert(readTree(bytes, "image config"), ImageConfig.class, "image config");
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

    private static JsonNode readTree(byte[] bytes, String what) {
        try {
            JsonNode tree = MAPPER.readTree(bytes);
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
            return MAPPER.treeToValue(tree, type);
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
}
