package dev.jcontainers.oci.image;

import dev.jcontainers.api.MalformedContentException;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A content digest {@code algorithm:encoded} as the OCI image spec defines it. sha256 and sha512 are
 * verified; other registered-looking algorithms parse but cannot be computed.
 */
public record Digest(String algorithm, String encoded) implements Comparable<Digest> {
    private static final Pattern ALGORITHM = Pattern.compile("[a-z0-9]+(?:[.+_-][a-z0-9]+)*");
    private static final Pattern ENCODED = Pattern.compile("[a-zA-Z0-9=_-]+");
    private static final Pattern HEX64 = Pattern.compile("[a-f0-9]{64}");
    private static final Pattern HEX128 = Pattern.compile("[a-f0-9]{128}");

    public Digest {
        Objects.requireNonNull(algorithm, "algorithm");
        Objects.requireNonNull(encoded, "encoded");
        if (!ALGORITHM.matcher(algorithm).matches() || !ENCODED.matcher(encoded).matches()) {
            throw new MalformedContentException("malformed digest " + algorithm + ":" + encoded);
        }
        if (algorithm.equals("sha256") && !HEX64.matcher(encoded).matches()) {
            throw new MalformedContentException("sha256 digest must be 64 lowercase hex digits: " + encoded);
        }
        if (algorithm.equals("sha512") && !HEX128.matcher(encoded).matches()) {
            throw new MalformedContentException("sha512 digest must be 128 lowercase hex digits: " + encoded);
        }
    }

    public static Digest parse(String text) {
        if (text == null) {
            throw new MalformedContentException("missing digest");
        }
        int colon = text.indexOf(':');
        if (colon <= 0 || colon == text.length() - 1) {
            throw new MalformedContentException("malformed digest \"" + text + "\"");
        }
        return new Digest(text.substring(0, colon), text.substring(colon + 1));
    }

    public static Digest sha256(byte[] content) {
        return new Digest("sha256", HexFormat.of().formatHex(newSha256().digest(content)));
    }

    public static Digest ofSha256(byte[] hash) {
        return new Digest("sha256", HexFormat.of().formatHex(hash));
    }

    public static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("JDK without SHA-256", e);
        }
    }

    /** A fresh hasher for this digest's algorithm. */
    public MessageDigest newHasher() {
        try {
            return switch (algorithm) {
                case "sha256" -> MessageDigest.getInstance("SHA-256");
                case "sha512" -> MessageDigest.getInstance("SHA-512");
                default -> throw new MalformedContentException("unsupported digest algorithm " + algorithm);
            };
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** True when {@code content} hashes to this digest. */
    public boolean matches(byte[] content) {
        return HexFormat.of().formatHex(newHasher().digest(content)).equals(encoded);
    }

    public String hex() {
        return encoded;
    }

    @Override
    public int compareTo(Digest o) {
        return toString().compareTo(o.toString());
    }

    @Override
    public String toString() {
        return algorithm + ":" + encoded;
    }
}
