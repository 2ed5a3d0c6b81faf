package dev.jcontainers.api;

import java.util.Locale;
import java.util.Objects;

/**
 * An OS/architecture pair with an optional variant, in OCI's vocabulary ({@code linux/amd64},
 * {@code linux/arm64/v8}, {@code linux/arm/v7}).
 */
public record Platform(String os, String architecture, String variant) {
    public Platform {
        Objects.requireNonNull(os, "os");
        Objects.requireNonNull(architecture, "architecture");
        if (variant != null && variant.isEmpty()) {
            variant = null;
        }
    }

    public static Platform of(String os, String architecture) {
        return new Platform(os, architecture, null);
    }

    /** Parses {@code os/arch[/variant]}. */
    public static Platform parse(String text) {
        String[] parts = text.split("/", -1);
        if (parts.length < 2 || parts.length > 3 || parts[0].isEmpty() || parts[1].isEmpty()) {
            throw new IllegalArgumentException("platform must be os/arch[/variant]: " + text);
        }
        return new Platform(parts[0].toLowerCase(Locale.ROOT), parts[1].toLowerCase(Locale.ROOT),
                parts.length == 3 ? parts[2] : null);
    }

    /** The platform of this JVM's host, with Java's architecture names mapped to Go's as OCI uses them. */
    public static Platform host() {
        String arch = switch (System.getProperty("os.arch").toLowerCase(Locale.ROOT)) {
            case "amd64", "x86_64" -> "amd64";
            case "aarch64", "arm64" -> "arm64";
            case "arm", "arm32" -> "arm";
            case "x86", "i386", "i686" -> "386";
            case "ppc64le" -> "ppc64le";
            case "s390x" -> "s390x";
            case "riscv64" -> "riscv64";
            default -> System.getProperty("os.arch");
        };
        String os = System.getProperty("os.name").toLowerCase(Locale.ROOT).startsWith("linux") ? "linux"
                : System.getProperty("os.name").toLowerCase(Locale.ROOT);
        return new Platform(os, arch, arch.equals("arm64") ? "v8" : null);
    }

    /**
     * True when an image built for {@code candidate} runs here. The variant is compared only when both
     * name one, except that arm64's "v8" is the default and matches a missing variant.
     */
    public boolean accepts(Platform candidate) {
        if (!os.equals(candidate.os) || !architecture.equals(candidate.architecture)) {
            return false;
        }
        String mine = normalVariant(this);
        String theirs = normalVariant(candidate);
        return mine == null || theirs == null || mine.equals(theirs);
    }

    private static String normalVariant(Platform p) {
        if (p.variant == null && p.architecture.equals("arm64")) {
            return "v8";
        }
        return p.variant;
    }

    @Override
    public String toString() {
        return os + "/" + architecture + (variant == null ? "" : "/" + variant);
    }
}
