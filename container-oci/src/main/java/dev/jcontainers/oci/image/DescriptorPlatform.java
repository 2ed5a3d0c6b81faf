package dev.jcontainers.oci.image;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.jcontainers.api.Platform;

import java.util.List;

/** The {@code platform} object of an index entry. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@JsonIgnoreProperties(ignoreUnknown = true)
public record DescriptorPlatform(
        @JsonProperty("architecture") String architecture,
        @JsonProperty("os") String os,
        @JsonProperty("os.version") String osVersion,
        @JsonProperty("os.features") List<String> osFeatures,
        @JsonProperty("variant") String variant,
        @JsonProperty("features") List<String> features) {

    public static DescriptorPlatform of(Platform p) {
        return new DescriptorPlatform(p.architecture(), p.os(), null, null, p.variant(), null);
    }

    public Platform toPlatform() {
        return new Platform(os == null ? "" : os, architecture == null ? "" : architecture, variant);
    }
}
