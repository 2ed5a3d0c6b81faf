package dev.jcontainers.oci.registry;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class LinkHeaderTest {
    private static final URI BASE = URI.create("http://127.0.0.1:5000/v2/foo/tags/list?n=100");

    @Test
    void relativeNextLinkResolvesAgainstTheRequest() {
        assertThat(LinkHeader.next(List.of("</v2/foo/tags/list?last=b&n=100>; rel=\"next\""), BASE))
                .contains(URI.create("http://127.0.0.1:5000/v2/foo/tags/list?last=b&n=100"));
    }

    @Test
    void picksNextAmongSeveralLinksAndRelations() {
        assertThat(LinkHeader.next(List.of("<https://a/prev>; rel=prev, <https://a/next>; title=\"x\"; rel=\"first next\""),
                BASE)).contains(URI.create("https://a/next"));
    }

    @Test
    void noNextLink() {
        assertThat(LinkHeader.next(List.of(), BASE)).isEmpty();
        assertThat(LinkHeader.next(List.of("<https://a/prev>; rel=\"prev\""), BASE)).isEmpty();
        assertThat(LinkHeader.next(List.of("garbage"), BASE)).isEmpty();
    }
}
