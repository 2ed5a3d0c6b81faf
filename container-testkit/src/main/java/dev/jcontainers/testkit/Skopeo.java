package dev.jcontainers.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * skopeo as an independent witness: pushes fixture layouts into a {@link RegistryServer} and reads
 * back what the registry holds. Credentials and the CA directory come from the registry unless an
 * {@link Option} overrides them. Failures throw {@link ExternalProcess.FailedException} with
 * skopeo's stderr.
 */
public final class Skopeo {

    /** How long one skopeo run may take. */
    public static final Duration TIMEOUT = Duration.ofSeconds(120);

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A tweak of one skopeo invocation. */
    public sealed interface Option permits Format, AllPlatforms, WithCredentials, Anonymous, Raw, Config {
    }

    /** {@code --format v2s2}: convert to a Docker schema2 manifest while pushing. */
    public record Format(String format) implements Option {
    }

    /** {@code --all}: copy every platform of an index. */
    public record AllPlatforms() implements Option {
    }

    /** Use these credentials instead of the registry's own (e.g. a wrong password). */
    public record WithCredentials(Credentials credentials) implements Option {
    }

    /** Send no credentials at all. */
    public record Anonymous() implements Option {
    }

    /** {@code inspect --raw}: the manifest (or index) exactly as stored. */
    public record Raw() implements Option {
    }

    /** {@code inspect --config}: the image config. */
    public record Config() implements Option {
    }

    public static Option dockerV2s2() {
        return new Format("v2s2");
    }

    public static Option allPlatforms() {
        return new AllPlatforms();
    }

    public static Option credentials(String username, String password) {
        return new WithCredentials(new Credentials(username, password));
    }

    public static Option anonymous() {
        return new Anonymous();
    }

    public static Option raw() {
        return new Raw();
    }

    public static Option config() {
        return new Config();
    }

    private Skopeo() {
    }

    /** Pushes {@code oci:<layoutDir>:<tag>} to {@code docker://<registry>/<repoAndTag>}. */
    public static void push(Path layoutDir, String tag, RegistryServer registry, String repoAndTag, Option... options) {
        List<String> command = base("copy");
        command.addAll(registryFlags("--dest-", registry, options));
        for (Option option : options) {
            switch (option) {
                case Format f -> command.addAll(List.of("--format", f.format()));
                case AllPlatforms a -> command.add("--all");
                default -> {
                }
            }
        }
        command.add("oci:" + layoutDir + ":" + tag);
        command.add("docker://" + registry.host() + "/" + repoAndTag);
        ExternalProcess.check(TIMEOUT, command);
    }

    /** Pushes a fixture under its own tag; a {@link FixtureIndex} is pushed with all platforms. */
    public static void push(Fixture fixture, RegistryServer registry, String repoAndTag, Option... options) {
        List<Option> all = new ArrayList<>(List.of(options));
        if (fixture instanceof FixtureIndex && all.stream().noneMatch(AllPlatforms.class::isInstance)) {
            all.add(allPlatforms());
        }
        push(fixture.layout(), fixture.tag(), registry, repoAndTag, all.toArray(Option[]::new));
    }

    /** Copies {@code docker://<registry>/<repoAndTag>} into {@code oci:<layoutDir>:<tag>}. */
    public static void pull(RegistryServer registry, String repoAndTag, Path layoutDir, String tag, Option... options) {
        List<String> command = base("copy");
        command.addAll(registryFlags("--src-", registry, options));
        if (List.of(options).stream().anyMatch(AllPlatforms.class::isInstance)) {
            command.add("--all");
        }
        command.add("docker://" + registry.host() + "/" + repoAndTag);
        command.add("oci:" + layoutDir + ":" + tag);
        ExternalProcess.check(TIMEOUT, command);
    }

    /**
     * {@code skopeo inspect} of {@code <registry>/<repoAndTag>} (a tag or {@code repo@digest}),
     * parsed: skopeo's summary by default, the stored manifest with {@link #raw()}, the config with
     * {@link #config()}.
     */
    public static JsonNode inspect(RegistryServer registry, String repoAndTag, Option... options) {
        List<String> command = base("inspect");
        command.addAll(registryFlags("--", registry, options));
        for (Option option : options) {
            switch (option) {
                case Raw r -> command.add("--raw");
                case Config c -> command.add("--config");
                default -> {
                }
            }
        }
        command.add("docker://" + registry.host() + "/" + repoAndTag);
        String stdout = ExternalProcess.check(TIMEOUT, command).stdout();
        try {
            return JSON.readTree(stdout);
        } catch (IOException e) {
            throw new UncheckedIOException("skopeo inspect printed no JSON: " + stdout, e);
        }
    }

    private static List<String> base(String verb) {
        Path skopeo = Requirements.requireTool("skopeo");
        // --insecure-policy: the host's policy.json is not ours to rely on; tests pick their sources.
        return new ArrayList<>(List.of(skopeo.toString(), "--insecure-policy", verb));
    }

    /** TLS and credential flags with the given prefix ({@code --dest-}, {@code --src-} or {@code --}). */
    private static List<String> registryFlags(String prefix, RegistryServer registry, Option... options) {
        List<String> flags = new ArrayList<>();
        if (registry.isTls()) {
            flags.add(prefix + "tls-verify=true");
            flags.add(prefix + "cert-dir=" + registry.caCertDir());
        } else {
            flags.add(prefix + "tls-verify=false");
        }
        Credentials credentials = registry.credentials().orElse(null);
        for (Option option : options) {
            switch (option) {
                case WithCredentials w -> credentials = w.credentials();
                case Anonymous a -> credentials = null;
                default -> {
                }
            }
        }
        if (credentials != null) {
            flags.add(prefix + "creds=" + credentials.colonSeparated());
        } else {
            flags.add(prefix + "no-creds");
        }
        return flags;
    }
}
