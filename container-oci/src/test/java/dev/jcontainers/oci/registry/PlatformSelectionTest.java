package dev.jcontainers.oci.registry;

import dev.jcontainers.api.ImageNotFoundException;
import dev.jcontainers.api.Platform;
import dev.jcontainers.oci.image.Descriptor;
import dev.jcontainers.oci.image.DescriptorPlatform;
import dev.jcontainers.oci.image.Digest;
import dev.jcontainers.oci.image.ImageIndex;
import dev.jcontainers.oci.image.MediaTypes;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PlatformSelectionTest {

    private static Descriptor entry(String name, String os, String arch, String variant) {
        Descriptor d = Descriptor.of(MediaTypes.OCI_MANIFEST, Digest.sha256(name.getBytes(StandardCharsets.UTF_8)), 100);
        return os == null ? d : d.withPlatform(new DescriptorPlatform(arch, os, null, null, variant, null));
    }

    private static final Descriptor AMD64 = entry("amd64", "linux", "amd64", null);
    private static final Descriptor ARM = entry("arm", "linux", "arm", null);
    private static final Descriptor ARM_V7 = entry("armv7", "linux", "arm", "v7");
    private static final Descriptor ARM64 = entry("arm64", "linux", "arm64", "v8");
    private static final Descriptor ATTESTATION = entry("att", "unknown", "unknown", null)
            .withAnnotations(Map.of("vnd.docker.reference.type", "attestation-manifest"));
    private static final Descriptor NO_PLATFORM = entry("none", null, null, null);

    private static final ImageIndex INDEX = new ImageIndex(2, MediaTypes.OCI_INDEX,
            List.of(ATTESTATION, NO_PLATFORM, AMD64, ARM, ARM_V7, ARM64), null);

    @Test
    void picksTheMatchingEntry() {
        assertThat(RegistryClient.selectPlatform(INDEX, Platform.parse("linux/amd64"))).isEqualTo(AMD64);
        assertThat(RegistryClient.selectPlatform(INDEX, Platform.parse("linux/arm64"))).isEqualTo(ARM64);
    }

    @Test
    void prefersTheExactVariantOverAnEarlierCompatibleEntry() {
        assertThat(RegistryClient.selectPlatform(INDEX, Platform.parse("linux/arm/v7"))).isEqualTo(ARM_V7);
        assertThat(RegistryClient.selectPlatform(INDEX, Platform.parse("linux/arm/v6"))).isEqualTo(ARM);
    }

    @Test
    void noMatchListsWhatIsAvailableWithoutAttestations() {
        assertThatThrownBy(() -> RegistryClient.selectPlatform(INDEX, Platform.parse("linux/s390x"),
                "127.0.0.1:5000/busybox:1.36"))
                .isInstanceOf(ImageNotFoundException.class)
                .hasMessage("no manifest for linux/s390x in 127.0.0.1:5000/busybox:1.36, available: "
                        + "linux/amd64, linux/arm, linux/arm/v7, linux/arm64/v8");
        ImageIndex onlyAttestation = new ImageIndex(2, MediaTypes.OCI_INDEX, List.of(ATTESTATION), null);
        assertThatThrownBy(() -> RegistryClient.selectPlatform(onlyAttestation, Platform.parse("unknown/unknown")))
                .isInstanceOf(ImageNotFoundException.class).hasMessageContaining("available: none");
    }
}
