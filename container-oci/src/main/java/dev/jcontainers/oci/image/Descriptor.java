package dev.jcontainers.oci.image;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;
import java.util.Map;

/** An OCI content descriptor: what a blob is, where to find it (digest) and how big it is. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@JsonIgnoreProperties(ignoreUnknown = true)
public record Descriptor(
        @JsonProperty("mediaType") String mediaType,
        @JsonProperty("digest") String digest,
        @JsonProperty("size") long size,
        @JsonProperty("urls") List<String> urls,
        @JsonProperty("annotations") Map<String, String> annotations,
        @JsonProperty("platform") DescriptorPlatform platform,
        @JsonProperty("artifactType") String artifactType) {

    public static final String ANNOTATION_REF_NAME = "org.opencontainers.image.ref.name";

    public static Descriptor of(String mediaType, Digest digest, long size) {
        return new Descriptor(mediaType, digest.toString(), size, null, null, null, null);
    }

    /** The parsed digest; throws {@link dev.jcontainers.api.MalformedContentException} when it is malformed. */
    @JsonIgnore
    public Digest parsedDigest() {
        return Digest.parse(digest);
    }

    public Descriptor withAnnotations(Map<String, String> a) {
        return new Descriptor(mediaType, digest, size, urls, a, platform, artifactType);
    }

    public Descriptor withPlatform(DescriptorPlatform p) {
        return new Descriptor(mediaType, digest, size, urls, annotations, p, artifactType);
    }

    @JsonIgnore
    public String annotation(String key) {
        return annotations == null ? null : annotations.get(key);
    }
}
