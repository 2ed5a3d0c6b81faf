package dev.jcontainers.api;

import java.util.Locale;

/**
 * How mounts made below a bind mount travel between the host and the container ({@code bind-propagation}):
 * {@code SHARED} both ways, {@code SLAVE} from the host into the container only, {@code PRIVATE} not at all.
 * The {@code R} forms apply to the mounts already below the source too. Docker's default is {@code RPRIVATE}.
 * {@code SHARED} needs a source on a shared mount of the host, {@code SLAVE} a shared or slave one.
 */
public enum BindPropagation {
    RPRIVATE, PRIVATE, RSHARED, SHARED, RSLAVE, SLAVE;

    /** The name in Docker's syntax, e.g. {@code rshared}. */
    public String dockerName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean recursive() {
        return name().startsWith("R");
    }

    /** One of {@code rprivate private rshared shared rslave slave}. */
    public static BindPropagation parse(String text) {
        for (BindPropagation p : values()) {
            if (p.dockerName().equals(text)) {
                return p;
            }
        }
        throw new IllegalArgumentException("invalid bind propagation '" + text
                + "': rprivate, private, rshared, shared, rslave or slave");
    }
}
