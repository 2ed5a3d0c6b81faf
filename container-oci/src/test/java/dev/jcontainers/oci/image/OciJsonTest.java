package dev.jcontainers.oci.image;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.jcontainers.api.ContainerException;
import dev.jcontainers.api.MalformedContentException;
import dev.jcontainers.api.UnsupportedMediaTypeException;
import dev.jcontainers.oci.json.Json;
import dev.jcontainers.oci.json.JsonMismatchException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Malformed documents fail with the typed exceptions and messages the databind-based parsing gave. */
class OciJsonTest {
    private static final String DIGEST = "sha256:" + "ab".repeat(32);
    private static final String CONFIG = "{'mediaType':'" + MediaTypes.OCI_CONFIG + "','digest':'" + DIGEST
            + "','size':2}";

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            not json                                            | manifest is not valid JSON
            {'schemaVersion':2,'config':{'size':}               | manifest is not valid JSON
            []                                                  | manifest is not a JSON object
            ''                                                  | manifest is not a JSON object
            {}                                                  | document is neither a manifest nor an index
            {'schemaVersion':2,'manifests':{}}                  | malformed index
            {'schemaVersion':2,'manifests':[null]}              | malformed index
            {'schemaVersion':2,'manifests':[{'size':null}]}     | malformed index
            {'schemaVersion':2,'manifests':[{'size':'12x'}]}    | malformed index
            {'schemaVersion':2,'manifests':[{'urls':'a'}]}      | malformed index
            {'schemaVersion':null,'manifests':[]}               | malformed index
            {'schemaVersion':3,'manifests':[]}                  | index schemaVersion must be 2, got 3
            {'manifests':[]}                                    | malformed index
            {'schemaVersion':2,'manifests':[{'mediaType':'x'}]} | malformed index
            {'schemaVersion':2,'manifests':[{'size':1}]}        | index entry descriptor has no mediaType
            {'schemaVersion':2,'config':[],'layers':[]}         | malformed manifest
            {'schemaVersion':2,'config':CONFIG,'layers':[7]}    | malformed manifest
            {'schemaVersion':2,'config':CONFIG}                 | manifest has no layers array
            {'schemaVersion':2,'config':null,'layers':[]}       | manifest has no config descriptor
            {'schemaVersion':2,'config':CONFIG,'layers':[{'mediaType':'x','digest':'sha256:1','size':1}]} | sha256 digest must be 64 lowercase hex digits
            """)
    void malformedManifestsAreRejected(String json, String message) {
        MalformedContentException e = assertThrows(MalformedContentException.class,
                () -> OciJson.parseManifest(bytes(json), null));
        assertTrue(e.getMessage().startsWith(message) || e.getMessage().contains(message), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"{'schemaVersion':1}", "{'schemaVersion':'1','config':{}}", "{'schemaVersion':1.5}",
        "{'mediaType':'application/vnd.docker.distribution.manifest.v1+prettyjws'}"})
    void schema1IsUnsupported(String json) {
        assertThrows(UnsupportedMediaTypeException.class, () -> OciJson.parseManifest(bytes(json), null));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            {'rootfs':                                          | image config is not valid JSON
            7                                                   | image config is not a JSON object
            {}                                                  | image config has no rootfs.diff_ids
            {'rootfs':{'type':'layers'}}                        | image config has no rootfs.diff_ids
            {'rootfs':{'diff_ids':'sha256:00'}}                 | malformed image config
            {'rootfs':{'diff_ids':['nope']}}                    | malformed digest
            {'config':{'Env':[{}]},'rootfs':{'diff_ids':[]}}    | malformed image config
            {'config':{'Healthcheck':{'Retries':99999999999}}}  | malformed image config
            {'config':{'Labels':{'a':[]}}}                      | malformed image config
            {'history':[{'empty_layer':'maybe'}]}               | malformed image config
            """)
    void malformedConfigsAreRejected(String json, String message) {
        MalformedContentException e = assertThrows(MalformedContentException.class,
                () -> OciJson.parseConfig(bytes(json)));
        assertTrue(e.getMessage().startsWith(message) || e.getMessage().contains(message), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"{'schemaVersion':2,'mediaType':'application/vnd.oci.image.manifest.v1+json',"
            + "'config':CONFIG,'layers':[]}", "{'schemaVersion':2,'manifests':7}"})
    void parseIndexRejectsWhatIsNoIndex(String json) {
        assertThrows(ContainerException.class, () -> OciJson.parseIndex(bytes(json)));
    }

    /** Where databind coerced a value (a scalar as a string, a numeric string or a float as a number), so do we. */
    @ParameterizedTest
    @ValueSource(strings = {"{'mediaType':5,'digest':true,'size':'12'}", "{'size':12.9,'annotations':{'a':null}}",
        "{'size':-1,'urls':[null,'x'],'platform':null}", "{'size':0,'platform':{'os.features':[],'os':1.5}}"})
    void coercesScalarsAsDatabindDoes(String json) throws IOException {
        assertEquals(OciJson.mapper().readValue(bytes(json), Descriptor.class),
                Json.read(bytes(json), DescriptorJson::read));
    }

    /** Where databind refused a value, so do we. */
    @ParameterizedTest
    @ValueSource(strings = {"{'size':null}", "{'size':'many'}", "{'size':{}}", "{'size':1,'digest':[]}",
        "{'size':1,'urls':{}}", "{'size':1,'urls':'a'}", "{'size':1,'annotations':[]}", "{'size':1,'annotations':{'a':{}}}", "{'size':1,'platform':'linux'}",
        "{'size':1e30}", "{'size':12345678901234567890}", "{}", "[]"})
    void rejectsWhatDatabindRejects(String json) {
        assertThrows(JsonProcessingException.class,
                () -> OciJson.mapper().readValue(bytes(json), Descriptor.class));
        assertThrows(JsonMismatchException.class, () -> Json.read(bytes(json), DescriptorJson::read));
    }

    private static byte[] bytes(String singleQuoted) {
        return singleQuoted.replace("CONFIG", CONFIG).replace('\'', '"').getBytes(StandardCharsets.UTF_8);
    }
}
