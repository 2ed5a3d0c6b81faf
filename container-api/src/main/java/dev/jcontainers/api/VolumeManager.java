package dev.jcontainers.api;

import java.util.List;
import java.util.Map;

/**
 * The volumes of one engine root: {@code docker volume create|ls|inspect|rm|prune}. A volume is a directory
 * the engine owns; it outlives the containers that mount it and may be mounted by several at once.
 */
public interface VolumeManager {
    /**
     * Creates the volume, or returns the existing one of that name unchanged (as Docker does). {@code name}
     * null makes a random 64-hex name. Names follow Docker's rule {@code [a-zA-Z0-9][a-zA-Z0-9_.-]+}.
     */
    VolumeInfo create(String name, Map<String, String> labels);

    List<VolumeInfo> list();

    /** {@link VolumeNotFoundException} if there is none of that name. */
    VolumeInfo inspect(String name);

    /**
     * Deletes the volume and its data. {@link VolumeInUseException} while a container (running or not)
     * references it, unless {@code force}; removing a volume that does not exist is an error only without force.
     */
    void remove(String name, boolean force);

    /** Removes every volume no container references; returns their names. */
    List<String> prune();
}
