package dev.jcontainers.oci.registry;

import dev.jcontainers.api.Credentials;
import dev.jcontainers.api.MalformedContentException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DockerConfigCredentialsTest {
    @TempDir
    Path tmp;

    private DockerConfigCredentials config(String json) throws IOException {
        Path file = tmp.resolve("config.json");
        Files.writeString(file, json);
        return new DockerConfigCredentials(file);
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void readsAuthUsernamePasswordAndIdentityTokenEntries() throws IOException {
        DockerConfigCredentials c = config("{\"auths\":{"
                + "\"https://index.docker.io/v1/\":{\"auth\":\"" + b64("hub:pa:ss") + "\"},"
                + "\"Registry.Example:5000\":{\"username\":\"u\",\"password\":\"p\"},"
                + "\"https://ghcr.io\":{\"auth\":\"\",\"identitytoken\":\"tok\"},"
                + "\"helper.example\":{}},"
                + "\"credsStore\":\"osxkeychain\",\"credHelpers\":{\"helper.example\":\"ecr-login\"}}");
        assertThat(c.lookup("docker.io")).contains(new Credentials("hub", "pa:ss"));
        assertThat(c.lookup("registry.example:5000")).contains(new Credentials("u", "p"));
        assertThat(c.lookup("ghcr.io")).contains(new Credentials(DockerConfigCredentials.IDENTITY_TOKEN_USER, "tok"));
        assertThat(c.lookup("helper.example")).isEmpty();
        assertThat(c.lookup("registry.example")).isEmpty();
    }

    @Test
    void missingFileMeansNoCredentialsAndBrokenFileIsAnError() throws IOException {
        assertThat(new DockerConfigCredentials(tmp.resolve("absent.json")).lookup("docker.io")).isEmpty();
        assertThatThrownBy(() -> config("{\"auths\":").lookup("docker.io"))
                .isInstanceOf(MalformedContentException.class).hasMessageContaining("config.json");
        assertThatThrownBy(() -> config("{\"auths\":{\"x\":{\"auth\":\"" + b64("nocolon") + "\"}}}").lookup("x"))
                .isInstanceOf(MalformedContentException.class);
    }

    @Test
    void keysNormaliseToRegistryNames() {
        assertThat(DockerConfigCredentials.normalise("https://index.docker.io/v1/")).isEqualTo("docker.io");
        assertThat(DockerConfigCredentials.normalise("registry-1.docker.io")).isEqualTo("docker.io");
        assertThat(DockerConfigCredentials.normalise("http://127.0.0.1:5000/v1/")).isEqualTo("127.0.0.1:5000");
        assertThat(DockerConfigCredentials.normalise("Quay.IO")).isEqualTo("quay.io");
    }
}
