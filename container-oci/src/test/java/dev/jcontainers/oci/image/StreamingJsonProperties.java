package dev.jcontainers.oci.image;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jcontainers.oci.json.Json;
import dev.jcontainers.testkit.RandomValues;
import dev.jcontainers.testkit.UnknownFields;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The streaming codecs of this package against databind, the reference they replace on the start path:
 * byte-identical output for the same record, and equal records from what databind wrote (with unknown
 * fields of every JSON kind before and after the known ones).
 */
class StreamingJsonProperties {
    private static final ObjectMapper DATABIND = OciJson.mapper();

    @Property(tries = 300)
    void descriptorIsWrittenAsDatabindWritesIt(@ForAll Random random) throws IOException {
        Descriptor d = descriptor(new RandomValues(random));
        assertArrayEquals(DATABIND.writeValueAsBytes(d), Json.write(d, DescriptorJson::write), () -> "for " + d);
    }

    @Property(tries = 300)
    void indexIsWrittenAsDatabindWritesIt(@ForAll Random random) throws IOException {
        ImageIndex index = index(new RandomValues(random));
        assertArrayEquals(DATABIND.writeValueAsBytes(index), OciJson.writeIndex(index), () -> "for " + index);
    }

    @Property(tries = 300)
    void indexReadsAsDatabindReadsIt(@ForAll Random random) throws IOException {
        byte[] json = UnknownFields.around(DATABIND.writeValueAsBytes(index(new RandomValues(random))));
        assertEquals(DATABIND.readValue(json, ImageIndex.class), Json.read(json, ManifestJson::readIndex));
    }

    @Property(tries = 300)
    void manifestReadsAsDatabindReadsIt(@ForAll Random random) throws IOException {
        byte[] json = UnknownFields.around(DATABIND.writeValueAsBytes(manifest(new RandomValues(random))));
        assertEquals(DATABIND.readValue(json, ImageManifest.class), Json.read(json, ManifestJson::readManifest));
    }

    @Property(tries = 300)
    void imageConfigReadsAsDatabindReadsIt(@ForAll Random random) throws IOException {
        byte[] json = UnknownFields.around(DATABIND.writeValueAsBytes(config(new RandomValues(random))));
        assertEquals(DATABIND.readValue(json, ImageConfig.class), Json.read(json, ImageConfigJson::read));
    }

    static Descriptor descriptor(RandomValues r) {
        return new Descriptor(r.nullableString(), r.nullableString(), r.anyLong(), r.nullable(r::strings),
                r.nullable(r::stringMap), r.nullable(() -> platform(r)), r.nullableString());
    }

    private static DescriptorPlatform platform(RandomValues r) {
        return new DescriptorPlatform(r.nullableString(), r.nullableString(), r.nullableString(),
                r.nullable(r::strings), r.nullableString(), r.nullable(r::strings));
    }

    private static ImageIndex index(RandomValues r) {
        return new ImageIndex(r.anyInt(), r.nullableString(), r.nullable(() -> r.list(() -> descriptor(r))),
                r.nullable(r::stringMap));
    }

    private static ImageManifest manifest(RandomValues r) {
        return new ImageManifest(r.anyInt(), r.nullableString(), r.nullableString(), r.nullable(() -> descriptor(r)),
                r.nullable(() -> r.list(() -> descriptor(r))), r.nullable(() -> descriptor(r)),
                r.nullable(r::stringMap));
    }

    private static ImageConfig config(RandomValues r) {
        return new ImageConfig(r.nullableString(), r.nullableString(), r.nullableString(), r.nullableString(),
                r.nullableString(), r.nullableString(), r.nullable(() -> runtimeConfig(r)),
                r.nullable(() -> new ImageConfig.RootFs(r.nullableString(), r.nullable(r::strings))),
                r.nullable(() -> r.list(() -> new ImageConfig.History(r.nullableString(), r.nullableString(),
                        r.nullableString(), r.nullableString(), r.nullableBoolean()))));
    }

    private static ImageConfig.RuntimeConfig runtimeConfig(RandomValues r) {
        return new ImageConfig.RuntimeConfig(r.nullableString(), r.nullable(() -> r.map(() -> anyValue(r))),
                r.nullable(r::strings), r.nullable(r::strings), r.nullable(r::strings),
                r.nullable(() -> r.map(() -> anyValue(r))), r.nullableString(), r.nullable(r::stringMap),
                r.nullableString(), r.nullableBoolean(),
                r.nullable(() -> new ImageConfig.HealthConfig(r.nullable(r::strings), r.nullableLong(),
                        r.nullableLong(), r.nullableLong(), r.nullableLong(), r.nullableInt())),
                r.nullable(r::strings), r.nullable(r::strings));
    }

    /** What an image's ExposedPorts or Volumes map holds: {} by convention, any JSON by the format. */
    private static Object anyValue(RandomValues r) {
        return switch (r.oneOf(0, 1, 2, 3, 4, 5, 6)) {
            case 0 -> new LinkedHashMap<String, Object>();
            case 1 -> r.string();
            case 2 -> r.anyLong();
            case 3 -> 2.5;
            case 4 -> r.bool();
            case 5 -> Map.of("nested", r.strings());
            default -> null;
        };
    }
}
