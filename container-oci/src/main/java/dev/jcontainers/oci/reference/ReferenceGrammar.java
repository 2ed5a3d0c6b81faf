package dev.jcontainers.oci.reference;

import dev.jcontainers.api.InvalidReferenceException;
import dev.jcontainers.api.MalformedContentException;
import dev.jcontainers.oci.image.Digest;

/**
 * The grammar of Docker's distribution/reference ({@code regexp.go}), written as scanners rather than
 * regular expressions so that a rejection names the offending character and its index in the text the
 * user typed. Every check throws {@link InvalidReferenceException} and nothing else.
 *
 * <pre>
 * path-component := [a-z0-9]+ ((\.|_|__|-+) [a-z0-9]+)*
 * domain         := (domain-component ('.' domain-component)* | '[' [a-fA-F0-9:]+ ']') (':' [0-9]+)?
 * domain-comp    := [a-zA-Z0-9] | [a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]
 * tag            := [\w][\w.-]{0,127}
 * digest         := [A-Za-z][A-Za-z0-9]*([-_+.][A-Za-z][A-Za-z0-9]*)* ':' [0-9a-fA-F]{32,}
 * </pre>
 */
final class ReferenceGrammar {
    /** Longest {@code registry/repository}, counted after normalisation (Docker's NameTotalLengthMax). */
    static final int NAME_MAX_LENGTH = 255;
    static final int TAG_MAX_LENGTH = 128;
    private static final int DIGEST_HEX_MIN_LENGTH = 32;

    private ReferenceGrammar() {
    }

    /**
     * Docker's splitDockerDomain rule: the first path component names a registry only when it cannot be a
     * Docker Hub namespace, that is when it holds a '.' or ':', is {@code localhost}, or has an upper-case
     * letter (repository names are lower-case, host names need not be).
     */
    static boolean looksLikeRegistry(String firstComponent) {
        if (firstComponent.equals("localhost")) {
            return true;
        }
        for (int i = 0; i < firstComponent.length(); i++) {
            char c = firstComponent.charAt(i);
            if (c == '.' || c == ':' || (c >= 'A' && c <= 'Z')) {
                return true;
            }
        }
        return false;
    }

    /** {@code host[:port]} where host is a DNS-style name, an IPv4 address or a bracketed IPv6 address. */
    static void checkRegistry(String reference, String registry, int offset) {
        if (registry.isEmpty()) {
            throw invalid(reference, "empty registry host");
        }
        int hostEnd;
        if (registry.charAt(0) == '[') {
            int close = registry.indexOf(']');
            if (close < 0) {
                throw invalid(reference, "IPv6 registry address at index " + offset + " lacks its closing ']'");
            }
            if (close == 1) {
                throw invalid(reference, "empty IPv6 registry address at index " + offset);
            }
            for (int i = 1; i < close; i++) {
                char c = registry.charAt(i);
                if (!isHexDigit(c) && c != ':') {
                    throw badCharacter(reference, registry, i, offset, "IPv6 registry address");
                }
            }
            hostEnd = close + 1;
        } else {
            int colon = registry.indexOf(':');
            hostEnd = colon < 0 ? registry.length() : colon;
            checkHostName(reference, registry, hostEnd, offset);
        }
        if (hostEnd == registry.length()) {
            return;
        }
        if (registry.charAt(hostEnd) != ':') {
            throw badCharacter(reference, registry, hostEnd, offset, "registry host");
        }
        if (hostEnd + 1 == registry.length()) {
            throw invalid(reference, "empty registry port after ':' at index " + (offset + hostEnd));
        }
        for (int i = hostEnd + 1; i < registry.length(); i++) {
            if (!isDigit(registry.charAt(i))) {
                throw badCharacter(reference, registry, i, offset, "registry port");
            }
        }
    }

    private static void checkHostName(String reference, String registry, int end, int offset) {
        int start = 0;
        while (true) {
            int dot = registry.indexOf('.', start);
            int componentEnd = dot < 0 || dot > end ? end : dot;
            if (componentEnd == start) {
                throw invalid(reference, "empty registry host component at index " + (offset + start));
            }
            for (int i = start; i < componentEnd; i++) {
                char c = registry.charAt(i);
                if (!isAsciiLetterOrDigit(c) && c != '-') {
                    throw badCharacter(reference, registry, i, offset, "registry host");
                }
            }
            if (registry.charAt(start) == '-' || registry.charAt(componentEnd - 1) == '-') {
                int at = registry.charAt(start) == '-' ? start : componentEnd - 1;
                throw invalid(reference, "registry host component may not start or end with '-' (index "
                        + (offset + at) + ")");
            }
            if (componentEnd == end) {
                return;
            }
            start = componentEnd + 1;
        }
    }

    /** Slash-separated path components, lower-case only. */
    static void checkRepository(String reference, String repository, int offset) {
        if (repository.isEmpty()) {
            throw invalid(reference, "missing repository name");
        }
        for (int i = 0; i < repository.length(); i++) {
            char c = repository.charAt(i);
            if (c >= 'A' && c <= 'Z') {
                throw invalid(reference, "repository name must be lowercase: '" + c + "' at index " + (offset + i));
            }
        }
        int start = 0;
        while (true) {
            int slash = repository.indexOf('/', start);
            int end = slash < 0 ? repository.length() : slash;
            checkPathComponent(reference, repository, start, end, offset);
            if (slash < 0) {
                return;
            }
            start = slash + 1;
        }
    }

    private static void checkPathComponent(String reference, String path, int from, int to, int offset) {
        if (from == to) {
            throw invalid(reference, "empty path component at index " + (offset + from));
        }
        int i = from;
        while (i < to) {
            char c = path.charAt(i);
            if (isLowerAlnum(c)) {
                i++;
                continue;
            }
            if (!isSeparator(c)) {
                throw badCharacter(reference, path, i, offset, "repository name");
            }
            int runStart = i;
            while (i < to && isSeparator(path.charAt(i))) {
                i++;
            }
            if (runStart == from) {
                throw invalid(reference, "path component must start with a lowercase letter or digit, not '"
                        + c + "' (index " + (offset + runStart) + ")");
            }
            if (i == to) {
                throw invalid(reference, "path component must end with a lowercase letter or digit, not '"
                        + path.charAt(to - 1) + "' (index " + (offset + to - 1) + ")");
            }
            String run = path.substring(runStart, i);
            if (!isValidSeparatorRun(run)) {
                throw invalid(reference, "invalid separator \"" + run + "\" at index " + (offset + runStart)
                        + " (allowed between letters and digits: '.', '_', '__' or one or more '-')");
            }
        }
    }

    /** One word character, then up to 127 word characters, dots and dashes. */
    static void checkTag(String reference, String tag, int offset) {
        if (tag.isEmpty()) {
            throw invalid(reference, "empty tag after ':' at index " + (offset - 1));
        }
        char first = tag.charAt(0);
        if (first == '.' || first == '-') {
            throw invalid(reference, "tag must start with a letter, digit or '_', not '" + first + "' (index "
                    + offset + ")");
        }
        for (int i = 0; i < tag.length(); i++) {
            char c = tag.charAt(i);
            if (!isWordCharacter(c) && c != '.' && c != '-') {
                throw badCharacter(reference, tag, i, offset, "tag");
            }
        }
        if (tag.length() > TAG_MAX_LENGTH) {
            throw invalid(reference, "tag is " + tag.length() + " characters long, at most " + TAG_MAX_LENGTH
                    + " are allowed");
        }
    }

    /**
     * {@code algorithm:hex} as the reference grammar allows it, then the OCI rules {@link Digest} enforces
     * (lower-case algorithm; sha256 and sha512 with their exact lower-case hex lengths).
     */
    static void checkDigest(String reference, String digest, int offset) {
        if (digest.isEmpty()) {
            throw invalid(reference, "empty digest after '@' at index " + (offset - 1));
        }
        int colon = digest.indexOf(':');
        if (colon < 0) {
            throw invalid(reference, "digest \"" + digest + "\" is not of the form algorithm:hex");
        }
        checkDigestAlgorithm(reference, digest, colon, offset);
        int hexLength = digest.length() - colon - 1;
        for (int i = colon + 1; i < digest.length(); i++) {
            if (!isHexDigit(digest.charAt(i))) {
                throw badCharacter(reference, digest, i, offset, "digest");
            }
        }
        if (hexLength < DIGEST_HEX_MIN_LENGTH) {
            throw invalid(reference, "digest has " + hexLength + " hex digits, at least " + DIGEST_HEX_MIN_LENGTH
                    + " are required");
        }
        try {
            new Digest(digest.substring(0, colon), digest.substring(colon + 1));
        } catch (MalformedContentException e) {
            throw invalid(reference, e.getMessage());
        }
    }

    private static void checkDigestAlgorithm(String reference, String digest, int colon, int offset) {
        if (colon == 0) {
            throw invalid(reference, "digest lacks its algorithm before ':' at index " + (offset + colon));
        }
        // Components of letters and digits, each starting with a letter, joined by one of - _ + .
        boolean componentStart = true;
        for (int i = 0; i < colon; i++) {
            char c = digest.charAt(i);
            if (componentStart ? isAsciiLetter(c) : isAsciiLetterOrDigit(c)) {
                componentStart = false;
            } else if (!componentStart && (c == '-' || c == '_' || c == '+' || c == '.')) {
                componentStart = true;
            } else {
                throw badCharacter(reference, digest, i, offset, "digest algorithm");
            }
        }
        if (componentStart) {
            throw invalid(reference, "digest algorithm may not end with '" + digest.charAt(colon - 1) + "' (index "
                    + (offset + colon - 1) + ")");
        }
    }

    static void checkNameLength(String reference, String name) {
        if (name.length() > NAME_MAX_LENGTH) {
            throw invalid(reference, "repository name \"" + name + "\" is " + name.length()
                    + " characters long, at most " + NAME_MAX_LENGTH + " are allowed");
        }
    }

    static InvalidReferenceException invalid(String reference, String reason) {
        return new InvalidReferenceException(reference, reason);
    }

    private static InvalidReferenceException badCharacter(String reference, String part, int index, int offset,
                                                          String where) {
        return invalid(reference, "invalid character " + describe(part.codePointAt(index)) + " at index "
                + (offset + index) + " in " + where);
    }

    /** Printable ASCII as itself, anything else (spaces, controls, non-ASCII) as its code point. */
    private static String describe(int codePoint) {
        return codePoint > ' ' && codePoint < 0x7f ? "'" + (char) codePoint + "'" : String.format("U+%04X", codePoint);
    }

    private static boolean isValidSeparatorRun(String run) {
        return run.equals(".") || run.equals("_") || run.equals("__") || run.chars().allMatch(c -> c == '-');
    }

    private static boolean isSeparator(char c) {
        return c == '.' || c == '_' || c == '-';
    }

    private static boolean isLowerAlnum(char c) {
        return (c >= 'a' && c <= 'z') || isDigit(c);
    }

    private static boolean isWordCharacter(char c) {
        return isAsciiLetterOrDigit(c) || c == '_';
    }

    private static boolean isAsciiLetterOrDigit(char c) {
        return isAsciiLetter(c) || isDigit(c);
    }

    private static boolean isAsciiLetter(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    static boolean isHexDigit(char c) {
        return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }
}
