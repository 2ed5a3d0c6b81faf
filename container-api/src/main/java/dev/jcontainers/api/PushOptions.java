package dev.jcontainers.api;

/** Options for one push. Credentials are those the engine knows for the registry (options, Docker config). */
public record PushOptions(PushListener listener) {
    public PushOptions {
        if (listener == null) {
            listener = PushListener.NONE;
        }
    }

    public static PushOptions defaults() {
        return new PushOptions(PushListener.NONE);
    }

    public PushOptions withListener(PushListener l) {
        return new PushOptions(l);
    }
}
