package dev.jcontainers.api;

/** For the PID, IPC and UTS namespaces: a private one (the default) or the host's ({@code --pid=host}). */
public enum NamespaceMode {
    PRIVATE, HOST;

    public static NamespaceMode parse(String text) {
        return switch (text) {
            case "", "private" -> PRIVATE;
            case "host" -> HOST;
            default -> throw new IllegalArgumentException("namespace mode must be private or host: " + text);
        };
    }
}
