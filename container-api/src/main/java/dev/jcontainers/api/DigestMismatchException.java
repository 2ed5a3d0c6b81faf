package dev.jcontainers.api;

/** Content whose bytes do not hash to the digest that names it. The content is never stored. */
public final class DigestMismatchException extends ContainerException {
    private final String expected;
    private final String actual;

    public DigestMismatchException(String what, String expected, String actual) {
        super(what + ": digest mismatch, expected " + expected + " but content hashes to " + actual);
        this.expected = expected;
        this.actual = actual;
    }

    public String expected() {
        return expected;
    }

    public String actual() {
        return actual;
    }
}
