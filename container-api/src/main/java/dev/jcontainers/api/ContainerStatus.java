package dev.jcontainers.api;

/** Docker's container states. */
public enum ContainerStatus {
    CREATED, RUNNING, PAUSED, RESTARTING, REMOVING, EXITED, DEAD;

    public String dockerName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
