package dev.jcontainers.cli;

/**
 * A command whose arguments after {@code IMAGE} belong to the container ({@code jc run IMG sh -c ...}):
 * option parsing stops at the first positional parameter.
 */
interface StopsAtImage {
}
