package dev.jcontainers.linux.net;

import dev.jcontainers.api.ContainerException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * The IPv4 switches of {@code /proc/sys/net/ipv4} that bridge networking needs. They belong to the network
 * namespace of the calling thread's process view (the JVM's own namespace), like rtnetlink requests.
 */
public final class Sysctl {
    private static final Path IPV4 = Path.of("/proc/sys/net/ipv4");
    private static final Pattern IFNAME = Pattern.compile("[a-zA-Z0-9_.-]{1,15}");

    private Sysctl() {
    }

    /** {@code net.ipv4.ip_forward}: whether this namespace routes packets between its interfaces. */
    public static boolean ipForward() {
        return read(IPV4.resolve("ip_forward")).equals("1");
    }

    public static void setIpForward(boolean on) {
        write(IPV4.resolve("ip_forward"), on);
    }

    /**
     * {@code net.ipv4.conf.<link>.route_localnet}: lets packets with a 127.0.0.0/8 address be routed out
     * of {@code link}, which DNAT from the host's loopback to a container behind that link needs.
     */
    public static void setRouteLocalnet(String link, boolean on) {
        if (!IFNAME.matcher(link).matches()) {
            throw new IllegalArgumentException("invalid interface name: " + link);
        }
        write(IPV4.resolve("conf").resolve(link).resolve("route_localnet"), on);
    }

    public static boolean routeLocalnet(String link) {
        return read(IPV4.resolve("conf").resolve(link).resolve("route_localnet")).equals("1");
    }

    private static String read(Path p) {
        try {
            return Files.readString(p).strip();
        } catch (IOException e) {
            throw new ContainerException("cannot read " + p + ": " + e.getMessage(), e);
        }
    }

    private static void write(Path p, boolean on) {
        try {
            Files.writeString(p, on ? "1\n" : "0\n");
        } catch (IOException e) {
            throw new ContainerException("cannot write " + p + ": " + e.getMessage(), e);
        }
    }
}
