package dev.jcontainers.linux.seccomp;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.jcontainers.api.MalformedContentException;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A seccomp profile in Docker's JSON format ({@code docker run --security-opt seccomp=profile.json}).
 * Unknown fields are ignored, as Docker does; a default action of ERRNO without {@code defaultErrnoRet}
 * means EPERM. {@code architectures}, {@code archMap} and {@code flags} are kept as read; which ABI a
 * compiled filter serves is the compiler's argument (see {@link SeccompCompiler}).
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record SeccompProfile(
        SeccompAction defaultAction,
        Integer defaultErrnoRet,
        List<String> architectures,
        List<ArchMapEntry> archMap,
        List<String> flags,
        List<SyscallRule> syscalls) {

    /** The value of {@code --security-opt seccomp=} that turns seccomp off. */
    public static final String UNCONFINED = "unconfined";
    /** The value of {@code --security-opt seccomp=} that names the built-in default profile. */
    public static final String BUILTIN = "builtin";

    private static final String DEFAULT_RESOURCE = "default.json";
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .build();

    public SeccompProfile {
        if (defaultAction == null) {
            throw new IllegalArgumentException("seccomp profile has no defaultAction");
        }
        if (defaultErrnoRet != null && !defaultAction.takesErrno()) {
            throw new IllegalArgumentException("defaultErrnoRet is only meaningful with SCMP_ACT_ERRNO or "
                    + "SCMP_ACT_TRACE, not " + defaultAction.jsonName());
        }
        architectures = architectures == null ? List.of() : List.copyOf(architectures);
        archMap = archMap == null ? List.of() : List.copyOf(archMap);
        flags = flags == null ? List.of() : List.copyOf(flags);
        syscalls = syscalls == null ? List.of() : List.copyOf(syscalls);
    }

    /** The kernel return value of the default action. */
    public int defaultReturnValue() {
        return defaultAction.returnValue(defaultErrnoRet);
    }

    /**
     * Docker's default profile (moby {@code profiles/seccomp/default.json}): an allow list, EPERM for every
     * other call, ENOSYS for {@code clone3} so that libc falls back to {@code clone} whose flags can be
     * checked, and further calls allowed only with the capability that governs them.
     */
    public static SeccompProfile dockerDefault() {
        try (InputStream in = SeccompProfile.class.getResourceAsStream(DEFAULT_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("resource missing: " + DEFAULT_RESOURCE);
            }
            return read(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The profile a {@code --security-opt seccomp=VALUE} asks for: empty for {@code unconfined} (no filter),
     * the default profile for {@code builtin}, otherwise the profile read from the file {@code VALUE}.
     */
    public static Optional<SeccompProfile> forSecurityOpt(String value) {
        return switch (value) {
            case UNCONFINED -> Optional.empty();
            case BUILTIN -> Optional.of(dockerDefault());
            default -> Optional.of(read(Path.of(value)));
        };
    }

    /** @throws MalformedContentException if the file is not a valid profile */
    public static SeccompProfile read(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return read(in);
        } catch (MalformedContentException e) {
            throw new MalformedContentException("seccomp profile " + file + ": " + e.getMessage(), e.getCause());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read seccomp profile " + file, e);
        }
    }

    /** @throws MalformedContentException if the stream does not hold a valid profile */
    public static SeccompProfile read(InputStream in) throws IOException {
        try {
            return MAPPER.readValue(in, SeccompProfile.class);
        } catch (JsonProcessingException e) {
            throw malformed(e);
        }
    }

    /** @throws MalformedContentException if the text is not a valid profile */
    public static SeccompProfile parse(String json) {
        try {
            return MAPPER.readValue(json, SeccompProfile.class);
        } catch (JsonProcessingException e) {
            throw malformed(e);
        }
    }

    public String toJson() {
        try {
            return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise seccomp profile", e);
        }
    }

    private static MalformedContentException malformed(JsonProcessingException e) {
        // The root cause carries the useful text (e.g. "unknown seccomp action: SCMP_ACT_FOO").
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        String detail = root == e ? e.getOriginalMessage() : root.getMessage();
        return new MalformedContentException("invalid seccomp profile: " + detail, e);
    }
}
