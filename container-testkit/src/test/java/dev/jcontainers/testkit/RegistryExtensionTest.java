package dev.jcontainers.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@RegistryTest(mode = RegistryMode.BASIC, username = "carol", password = "pw")
class RegistryExtensionTest {

    static RegistryServer injected;

    @Test
    void injectsOneRunningServerPerClass(RegistryServer parameter) throws Exception {
        assertThat(parameter).isSameAs(injected);
        assertThat(parameter.mode()).isEqualTo(RegistryMode.BASIC);
        assertThat(parameter.credentials()).contains(new Credentials("carol", "pw"));
        int status = HttpClient.newHttpClient().send(HttpRequest.newBuilder(parameter.url().resolve("/v2/"))
                .header("Authorization", new Credentials("carol", "pw").basicAuthorization()).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
        assertThat(status).isEqualTo(200);
    }

    @Nested
    class NestedTests {
        @Test
        void sharesTheEnclosingClassServer(RegistryServer parameter) {
            assertThat(parameter).isSameAs(injected);
        }
    }
}
