package dev.jcontainers.api;

/** One line of {@code docker diff}: a path the container added, changed or deleted relative to its image. */
public record FileChange(Kind kind, String path) {
    public enum Kind {
        ADDED("A"), CHANGED("C"), DELETED("D");

        private final String letter;

        Kind(String letter) {
            this.letter = letter;
        }

        public String letter() {
            return letter;
        }
    }

    @Override
    public String toString() {
        return kind.letter() + " " + path;
    }
}
