package dev.jcontainers.core.network.dns;

import java.util.List;

/**
 * Names answered "no such name" without asking an upstream server: they cannot exist in the public DNS, so
 * forwarding them would only leak the container's queries and wait. Single labels (a container name that
 * is not there, after the resolver tried the search list), the special-use names of RFC 6761 and RFC 8375
 * ({@code invalid}, {@code test}, {@code localhost}, {@code example}, {@code home.arpa}), and reverse
 * look-ups of loopback and private IPv4 ranges (RFC 6303).
 */
final class LocalZones {
    private static final List<String> SUFFIXES = List.of("invalid", "test", "localhost", "example", "home.arpa",
            "10.in-addr.arpa", "127.in-addr.arpa", "168.192.in-addr.arpa");

    private LocalZones() {
    }

    /** {@code name}: lower case, no trailing dot. */
    static boolean contains(String name) {
        if (name.isEmpty() || name.indexOf('.') < 0) {
            return true;
        }
        for (String zone : SUFFIXES) {
            if (name.equals(zone) || name.endsWith("." + zone)) {
                return true;
            }
        }
        return isPrivate172Reverse(name);
    }

    /** {@code *.16.172.in-addr.arpa} to {@code *.31.172.in-addr.arpa}: 172.16.0.0/12. */
    private static boolean isPrivate172Reverse(String name) {
        String suffix = ".172.in-addr.arpa";
        if (!name.endsWith(suffix)) {
            return false;
        }
        String head = name.substring(0, name.length() - suffix.length());
        String second = head.substring(head.lastIndexOf('.') + 1);
        try {
            int octet = Integer.parseInt(second);
            return octet >= 16 && octet <= 31;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
