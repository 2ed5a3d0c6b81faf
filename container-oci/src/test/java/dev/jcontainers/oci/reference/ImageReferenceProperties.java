package dev.jcontainers.oci.reference;

import dev.jcontainers.api.InvalidReferenceException;
import dev.jcontainers.api.MalformedContentException;
import dev.jcontainers.oci.image.Digest;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

class ImageReferenceProperties {

    /** A reference written from the grammar, with the parts Docker's normalisation must yield. */
    record Generated(String text, String registry, String repository, String tag, String digest) {
    }

    @Property
    void generatedReferencesParseToTheirParts(@ForAll("references") Generated generated) {
        ImageReference ref = ImageReference.parse(generated.text());

        assertThat(ref.registry()).isEqualTo(generated.registry());
        assertThat(ref.repository()).isEqualTo(generated.repository());
        assertThat(ref.tag()).isEqualTo(generated.tag());
        assertThat(ref.digest()).isEqualTo(generated.digest());
    }

    @Property
    void canonicalFormRoundTrips(@ForAll("references") Generated generated) {
        ImageReference ref = ImageReference.parse(generated.text());

        assertThat(ImageReference.parse(ref.toString())).isEqualTo(ref);
        assertThat(ImageReference.parse(ref.toString()).toString()).isEqualTo(ref.toString());
    }

    @Property
    void familiarFormRoundTrips(@ForAll("references") Generated generated) {
        ImageReference ref = ImageReference.parse(generated.text());

        assertThat(ImageReference.parse(ref.familiar())).isEqualTo(ref);
        assertThat(ImageReference.parse(ref.familiar()).familiar()).isEqualTo(ref.familiar());
    }

    @Property
    void normalisationIsIdempotentOnReferenceLikeText(@ForAll("referenceLikeText") String text) {
        Optional<ImageReference> parsed = ImageReference.tryParse(text);
        parsed.ifPresent(ref -> {
            assertThat(ImageReference.parse(ref.toString())).isEqualTo(ref);
            assertThat(ImageReference.parse(ref.familiar())).isEqualTo(ref);
        });
    }

    /** An independent oracle: Docker's ParseNormalizedNamed transliterated over its regular expressions. */
    @Property(tries = 3000)
    void acceptsExactlyWhatDockerAccepts(@ForAll("nearlyValidText") String text) {
        boolean accepted = ImageReference.tryParse(text).isPresent();
        assertThat(accepted).as("accepts %s", text).isEqualTo(DockerReferenceOracle.accepts(text));
        // The comparison only means something if both outcomes are common.
        Statistics.label("accepted").collect(accepted);
        Statistics.label("accepted").coverage(coverage -> {
            coverage.check(true).percentage(p -> p > 15);
            coverage.check(false).percentage(p -> p > 15);
        });
    }

    @Property
    void anyStringParsesOrIsAnInvalidReference(@ForAll String text) {
        parseOrInvalid(text);
    }

    @Property
    void anyReferenceLikeStringParsesOrIsAnInvalidReference(@ForAll("referenceLikeText") String text) {
        parseOrInvalid(text);
    }

    private static void parseOrInvalid(String text) {
        try {
            ImageReference.parse(text);
        } catch (InvalidReferenceException expected) {
            assertThat(expected.reference()).isEqualTo(text);
        }
    }

    @Provide
    Arbitrary<Generated> references() {
        Arbitrary<String> registry = Arbitraries.oneOf(
                Arbitraries.just(""), Arbitraries.just("docker.io"), Arbitraries.just("index.docker.io"),
                Arbitraries.just("localhost"), withOptionalPort(Arbitraries.just("localhost")).filter(r -> r.contains(":")),
                withOptionalPort(dottedHostName()), hostName().flatMap(host -> port().map(p -> host + p)),
                withOptionalPort(ipv4()), withOptionalPort(ipv6()));
        Arbitrary<String> tag = Arbitraries.oneOf(Arbitraries.just((String) null), tag());
        Arbitrary<String> digest = Arbitraries.oneOf(Arbitraries.just((String) null), digest());
        return Combinators.combine(registry, repository(), tag, digest).as(Parts::new)
                .filter(Parts::readsBackAsWritten).map(Parts::generated);
    }

    /** Generated parts, {@code registry} empty when the text is to omit it. */
    private record Parts(String registry, String repository, String tag, String digest) {
        boolean readsBackAsWritten() {
            int slash = repository.indexOf('/');
            // Without a registry, a first component such as "a.b" or "localhost" would be read as one.
            boolean firstComponentTakenForRegistry = registry.isEmpty() && slash > 0
                    && ReferenceGrammar.looksLikeRegistry(repository.substring(0, slash));
            return !firstComponentTakenForRegistry
                    && (normalisedRegistry() + "/" + normalisedRepository()).length() <= 255;
        }

        Generated generated() {
            String text = (registry.isEmpty() ? "" : registry + "/") + repository + (tag == null ? "" : ":" + tag)
                    + (digest == null ? "" : "@" + digest);
            String expectedTag = tag == null && digest == null ? "latest" : tag;
            return new Generated(text, normalisedRegistry(), normalisedRepository(), expectedTag, digest);
        }

        private String normalisedRegistry() {
            return registry.isEmpty() || registry.equals("index.docker.io") ? "docker.io" : registry;
        }

        private String normalisedRepository() {
            return normalisedRegistry().equals("docker.io") && !repository.contains("/")
                    ? "library/" + repository : repository;
        }
    }

    private static Arbitrary<String> repository() {
        return pathComponent().list().ofMinSize(1).ofMaxSize(4).map(parts -> String.join("/", parts));
    }

    /** {@code [a-z0-9]+ ((\.|_|__|-+) [a-z0-9]+)*} */
    private static Arbitrary<String> pathComponent() {
        Arbitrary<String> alphanumeric = Arbitraries.strings().withCharRange('a', 'z').withCharRange('0', '9')
                .ofMinLength(1).ofMaxLength(8);
        Arbitrary<String> separator = Arbitraries.of(".", "_", "__", "-", "--", "---");
        Arbitrary<String> separated = Combinators.combine(separator, alphanumeric).as(String::concat);
        return Combinators.combine(alphanumeric, separated.list().ofMaxSize(3))
                .as((head, tail) -> head + String.join("", tail));
    }

    private static Arbitrary<String> hostComponent() {
        Arbitrary<String> edge = Arbitraries.strings().withCharRange('a', 'z').withCharRange('A', 'Z')
                .withCharRange('0', '9').ofLength(1);
        Arbitrary<String> middle = Arbitraries.strings().withCharRange('a', 'z').withCharRange('0', '9')
                .withChars('-').ofMaxLength(6);
        return Arbitraries.oneOf(edge, Combinators.combine(edge, middle, edge).as((a, b, c) -> a + b + c));
    }

    private static Arbitrary<String> hostName() {
        return hostComponent().list().ofMinSize(1).ofMaxSize(4).map(parts -> String.join(".", parts));
    }

    /** A host name that is read as a registry even without a port: it has a dot. */
    private static Arbitrary<String> dottedHostName() {
        return hostComponent().list().ofMinSize(2).ofMaxSize(4).map(parts -> String.join(".", parts));
    }

    private static Arbitrary<String> ipv4() {
        return Arbitraries.integers().between(0, 255).list().ofSize(4)
                .map(octets -> String.join(".", octets.stream().map(String::valueOf).toList()));
    }

    private static Arbitrary<String> ipv6() {
        Arbitrary<String> group = Arbitraries.strings().withCharRange('0', '9').withCharRange('a', 'f')
                .withCharRange('A', 'F').ofMinLength(1).ofMaxLength(4);
        Arbitrary<String> full = group.list().ofSize(8).map(groups -> String.join(":", groups));
        Arbitrary<String> compressed = Combinators.combine(group.list().ofMaxSize(3), group.list().ofMaxSize(3))
                .as((head, tail) -> String.join(":", head) + "::" + String.join(":", tail));
        return Arbitraries.oneOf(full, compressed).map(address -> "[" + address + "]");
    }

    private static Arbitrary<String> port() {
        return Arbitraries.integers().between(1, 65535).map(p -> ":" + p);
    }

    private static Arbitrary<String> withOptionalPort(Arbitrary<String> host) {
        return Combinators.combine(host, Arbitraries.oneOf(Arbitraries.just(""), port())).as(String::concat);
    }

    /** {@code [\w][\w.-]{0,127}} */
    private static Arbitrary<String> tag() {
        Arbitrary<Character> first = Arbitraries.chars().range('a', 'z').range('A', 'Z').range('0', '9').with('_');
        Arbitrary<String> rest = Arbitraries.strings().withCharRange('a', 'z').withCharRange('A', 'Z')
                .withCharRange('0', '9').withChars('_', '.', '-').ofMaxLength(127);
        return Combinators.combine(first, rest).as((f, r) -> f + r);
    }

    private static Arbitrary<String> digest() {
        Arbitrary<String> hex = Arbitraries.strings().withChars("0123456789abcdef".toCharArray()).ofLength(64);
        Arbitrary<String> hex512 = Arbitraries.strings().withChars("0123456789abcdef".toCharArray()).ofLength(128);
        return Arbitraries.oneOf(hex.map(h -> "sha256:" + h), hex512.map(h -> "sha512:" + h),
                hex.map(h -> "blake3:" + h));
    }

    /**
     * Text close enough to references that most of it is almost valid: fragments of every part of the
     * grammar, glued in any order, so the parser's edges are reached far more often than by plain strings.
     */
    @Provide
    Arbitrary<String> referenceLikeText() {
        Arbitrary<String> fragment = Arbitraries.oneOf(
                Arbitraries.of("a", "b", "z", "0", "9", "A", "Z", ".", "_", "__", "-", ":", "/", "@", "[", "]",
                        "::1", "localhost", "docker.io", "index.docker.io", "library", "sha256", "sha512", "latest",
                        "5000", " ", "\u00e9", "\u0130", "+"),
                digest(), pathComponent(), tag(), withOptionalPort(dottedHostName()), ipv6(),
                Arbitraries.strings().withCharRange('!', '~').ofMaxLength(3));
        return fragment.list().ofMinSize(1).ofMaxSize(10).map(parts -> String.join("", parts));
    }

    /** Valid references, some of them with one character deleted, inserted or replaced. */
    @Provide
    Arbitrary<String> nearlyValidText() {
        Arbitrary<String> valid = references().map(Generated::text);
        Arbitrary<Character> character = Arbitraries.oneOf(
                Arbitraries.of('a', 'Z', '0', '.', '_', '-', ':', '/', '@', '[', ']', ' ', '\u00e9'),
                Arbitraries.chars().range('!', '~'));
        Arbitrary<Double> where = Arbitraries.doubles().between(0, 1);
        Arbitrary<String> mutated = Combinators.combine(valid, where, Arbitraries.integers().between(0, 2), character)
                .as((text, position, operation, c) -> {
                    int at = (int) (position * text.length());
                    return switch (operation) {
                        case 0 -> text.substring(0, at) + text.substring(Math.min(at + 1, text.length()));
                        case 1 -> text.substring(0, at) + c + text.substring(at);
                        default -> text.substring(0, at) + c + text.substring(Math.min(at + 1, text.length()));
                    };
                });
        return Arbitraries.frequencyOf(Tuple.of(1, valid), Tuple.of(3, mutated), Tuple.of(2, referenceLikeText()));
    }

    /**
     * Docker's distribution/reference {@code ParseNormalizedNamed}, line by line, over the regular
     * expressions of its {@code regexp.go}; digests then go through the OCI rules of {@link Digest}.
     */
    static final class DockerReferenceOracle {
        private static final String ALPHANUMERIC = "[a-z0-9]+";
        private static final String SEPARATOR = "(?:[._]|__|[-]+)";
        private static final String PATH_COMPONENT = ALPHANUMERIC + "(?:" + SEPARATOR + ALPHANUMERIC + ")*";
        private static final String DOMAIN_COMPONENT = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
        private static final String DOMAIN_NAME = DOMAIN_COMPONENT + "(?:\\." + DOMAIN_COMPONENT + ")*";
        private static final String IPV6 = "\\[(?:[a-fA-F0-9:]+)\\]";
        private static final String DOMAIN = "(?:" + DOMAIN_NAME + "|" + IPV6 + ")(?::[0-9]+)?";
        private static final String NAME = "(?:" + DOMAIN + "/)?" + PATH_COMPONENT + "(?:/" + PATH_COMPONENT + ")*";
        private static final String TAG = "[\\w][\\w.-]{0,127}";
        private static final String DIGEST = "[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*[:][0-9a-fA-F]{32,}";
        private static final Pattern REFERENCE =
                Pattern.compile("(" + NAME + ")(?::(" + TAG + "))?(?:@(" + DIGEST + "))?");
        private static final Pattern IDENTIFIER = Pattern.compile("[a-f0-9]{64}");

        static boolean accepts(String s) {
            if (s.isEmpty() || IDENTIFIER.matcher(s).matches()) {
                return false;
            }
            // splitDockerDomain
            int i = s.indexOf('/');
            String domain;
            String remainder;
            if (i == -1 || (!s.substring(0, i).contains(".") && !s.substring(0, i).contains(":")
                    && !s.substring(0, i).equals("localhost")
                    && s.substring(0, i).toLowerCase(Locale.ROOT).equals(s.substring(0, i)))) {
                domain = "docker.io";
                remainder = s;
            } else {
                domain = s.substring(0, i);
                remainder = s.substring(i + 1);
            }
            // Deliberate difference: Docker's regex would let a split-off "registry" that is no host name
            // (a_b.c/app) match as a path component instead and yield a name without a domain; we reject it.
            if (i != -1 && !domain.equals("docker.io") && !domain.matches(DOMAIN)) {
                return false;
            }
            if (domain.equals("index.docker.io")) {
                domain = "docker.io";
            }
            if (domain.equals("docker.io") && !remainder.contains("/")) {
                remainder = "library/" + remainder;
            }
            int tagSeparator = remainder.indexOf(':');
            String remoteName = tagSeparator > -1 ? remainder.substring(0, tagSeparator) : remainder;
            if (!remoteName.toLowerCase(Locale.ROOT).equals(remoteName)) {
                return false;
            }
            Matcher m = REFERENCE.matcher(domain + "/" + remainder);
            if (!m.matches() || m.group(1).length() > 255) {
                return false;
            }
            if (m.group(3) != null) {
                try {
                    Digest.parse(m.group(3));
                } catch (MalformedContentException e) {
                    return false;
                }
            }
            return true;
        }
    }
}
