package dev.jcontainers.core.network.dns;

import java.net.InetAddress;
import java.util.List;

/** The names a container may resolve: those of the running containers on the networks it is on. */
@FunctionalInterface
public interface NameDirectory {
    /**
     * The addresses {@code name} (lower case, no trailing dot) has for the container {@code containerId}:
     * a container name, network alias or short ID on one of its user-defined networks. Empty when no such
     * container runs there.
     */
    List<InetAddress> lookup(String containerId, String name);
}
