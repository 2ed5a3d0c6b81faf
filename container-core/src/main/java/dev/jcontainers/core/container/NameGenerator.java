package dev.jcontainers.core.container;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.random.RandomGenerator;

/** Container IDs (64 random hex digits) and Docker-style names ({@code adjective_scientist}). */
public final class NameGenerator {
    private static final RandomGenerator RANDOM = new SecureRandom();
    private static final List<String> LEFT = List.of("admiring", "brave", "busy", "clever", "cool", "eager",
            "ecstatic", "elegant", "focused", "gallant", "happy", "hopeful", "jolly", "keen", "kind", "loving",
            "modest", "nifty", "optimistic", "peaceful", "quirky", "relaxed", "sharp", "stoic", "tender",
            "upbeat", "vibrant", "wizardly", "youthful", "zealous");
    private static final List<String> RIGHT = List.of("babbage", "curie", "darwin", "dijkstra", "einstein",
            "feynman", "goldberg", "hopper", "hypatia", "kepler", "knuth", "lamport", "lovelace", "mccarthy",
            "meitner", "noether", "pasteur", "ritchie", "shannon", "thompson", "torvalds", "turing", "wilson",
            "wozniak", "yalow");

    private NameGenerator() {
    }

    public static String newId() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    public static String newName() {
        return LEFT.get(RANDOM.nextInt(LEFT.size())) + "_" + RIGHT.get(RANDOM.nextInt(RIGHT.size()));
    }
}
