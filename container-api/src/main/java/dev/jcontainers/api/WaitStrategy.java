package dev.jcontainers.api;

/**
 * When a started container counts as ready, for {@link Container#waitUntil} and
 * {@link ContainerBuilder#waitingFor}. Made by the factories of {@link Wait}: a closed set of plain values
 * the engine knows how to check, plus {@link Wait#until} for a condition of the caller's own.
 */
public sealed interface WaitStrategy permits Wait.ForLogLine, Wait.ForPort, Wait.ForHealthy, Wait.ForExit,
        Wait.All, Wait.Until {
    /** What is awaited, for error messages: {@code port 80 to accept connections}. */
    String description();
}
