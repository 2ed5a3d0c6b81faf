package dev.jcontainers.oci.registry;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class AuthChallengeTest {

    @Test
    void dockerHubBearerChallenge() {
        List<AuthChallenge> c = AuthChallenge.parse("Bearer realm=\"https://auth.docker.io/token\","
                + "service=\"registry.docker.io\",scope=\"repository:library/busybox:pull\"");
        assertThat(c).singleElement().satisfies(ch -> {
            assertThat(ch.is("bearer")).isTrue();
            assertThat(ch.params()).containsExactly(
                    Map.entry("realm", "https://auth.docker.io/token"),
                    Map.entry("service", "registry.docker.io"),
                    Map.entry("scope", "repository:library/busybox:pull"));
        });
    }

    @Test
    void commasInsideQuotesDoNotSplit() {
        List<AuthChallenge> c = AuthChallenge.parse(
                "Bearer realm=\"https://r/token\",scope=\"repository:a/b:pull,push repository:c:pull\"");
        assertThat(c).singleElement().satisfies(ch ->
                assertThat(ch.param("scope")).isEqualTo("repository:a/b:pull,push repository:c:pull"));
    }

    @Test
    void escapedQuotesAndBackslashes() {
        List<AuthChallenge> c = AuthChallenge.parse("Basic realm=\"say \\\"hi\\\", C:\\\\x\"");
        assertThat(c).singleElement().satisfies(ch -> assertThat(ch.param("realm")).isEqualTo("say \"hi\", C:\\x"));
    }

    @Test
    void severalChallengesInOneHeaderWithWhitespaceAndCase() {
        List<AuthChallenge> c = AuthChallenge.parse(
                "Newauth realm=\"apps\", type=1,  title=\"Login to \\\"apps\\\"\", BASIC  Realm = simple ,"
                        + "Bearer realm=\"https://t\",error=\"invalid_token\"");
        assertThat(c).extracting(AuthChallenge::scheme).containsExactly("Newauth", "BASIC", "Bearer");
        assertThat(c.get(0).params()).containsExactly(Map.entry("realm", "apps"), Map.entry("type", "1"),
                Map.entry("title", "Login to \"apps\""));
        assertThat(c.get(1).is("Basic")).isTrue();
        assertThat(c.get(1).param("REALM")).isEqualTo("simple");
        assertThat(c.get(2).param("error")).isEqualTo("invalid_token");
    }

    @Test
    void bareSchemesToken68AndEmptyInput() {
        List<AuthChallenge> c = AuthChallenge.parse("Negotiate, NTLM abc/def+g==, Basic");
        assertThat(c).extracting(AuthChallenge::scheme).containsExactly("Negotiate", "NTLM", "Basic");
        assertThat(c.get(0).params()).isEmpty();
        assertThat(c.get(1).token68()).isEqualTo("abc/def+g==");
        assertThat(c.get(1).params()).isEmpty();
        assertThat(AuthChallenge.parse("")).isEmpty();
        assertThat(AuthChallenge.parse("  ,, ")).isEmpty();
        assertThat(AuthChallenge.parse(null)).isEmpty();
    }

    @Test
    void unterminatedQuoteRunsToTheEndAndGarbageStopsParsing() {
        assertThat(AuthChallenge.parse("Bearer realm=\"https://x, service=y")).singleElement()
                .satisfies(ch -> assertThat(ch.param("realm")).isEqualTo("https://x, service=y"));
        assertThat(AuthChallenge.parse("Basic realm=a, \"junk\"")).singleElement()
                .satisfies(ch -> assertThat(ch.param("realm")).isEqualTo("a"));
    }

    @Test
    void challengesFromSeveralHeaderValues() {
        assertThat(AuthChallenge.parseAll(List.of("Basic realm=\"r\"", "Bearer realm=\"t\"")))
                .extracting(AuthChallenge::scheme).containsExactly("Basic", "Bearer");
    }
}
