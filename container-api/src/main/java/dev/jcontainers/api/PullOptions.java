package dev.jcontainers.api;

/**
 * Options for one pull. {@code platform} null means the host's; {@code credentials} null means those the
 * engine knows for the registry (its options, then {@code ~/.docker/config.json}), else anonymous.
 */
public record PullOptions(Platform platform, Credentials credentials, PullListener listener) {
    public PullOptions {
        if (listener == null) {
            listener = PullListener.NONE;
        }
    }

    public static PullOptions defaults() {
        return new PullOptions(null, null, PullListener.NONE);
    }

    public PullOptions withPlatform(Platform p) {
        return new PullOptions(p, credentials, listener);
    }

    public PullOptions withCredentials(Credentials c) {
        return new PullOptions(platform, c, listener);
    }

    public PullOptions withListener(PullListener l) {
        return new PullOptions(platform, credentials, l);
    }
}
