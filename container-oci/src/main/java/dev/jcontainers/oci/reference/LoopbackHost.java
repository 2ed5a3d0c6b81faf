package dev.jcontainers.oci.reference;

import java.util.Locale;

/**
 * Recognises loopback registry hosts from their text alone. No resolver is asked: a registry name must
 * never trigger a DNS lookup just to decide whether plain HTTP is acceptable.
 */
final class LoopbackHost {
    private LoopbackHost() {
    }

    /** {@code registry} is a host with an optional port, in the form {@link ReferenceGrammar} accepts. */
    static boolean isLoopback(String registry) {
        String host = withoutPort(registry);
        if (host.startsWith("[")) {
            return isIpv6Loopback(host.substring(1, host.length() - 1));
        }
        return host.toLowerCase(Locale.ROOT).equals("localhost") || isIpv4Loopback(host);
    }

    private static String withoutPort(String registry) {
        int close = registry.indexOf(']');
        int colon = registry.indexOf(':', close + 1);
        return colon < 0 ? registry : registry.substring(0, colon);
    }

    /** Dotted-quad decimal in 127.0.0.0/8. */
    private static boolean isIpv4Loopback(String host) {
        String[] octets = host.split("\\.", -1);
        if (octets.length != 4) {
            return false;
        }
        for (String octet : octets) {
            if (octet.isEmpty() || octet.length() > 3 || !octet.chars().allMatch(c -> c >= '0' && c <= '9')
                    || Integer.parseInt(octet) > 255) {
                return false;
            }
        }
        return Integer.parseInt(octets[0]) == 127;
    }

    /** {@code ::1} in any of its spellings ({@code 0:0:0:0:0:0:0:1}, {@code ::0001}, ...). */
    private static boolean isIpv6Loopback(String address) {
        int[] groups = ipv6Groups(address);
        if (groups == null) {
            return false;
        }
        for (int i = 0; i < 7; i++) {
            if (groups[i] != 0) {
                return false;
            }
        }
        return groups[7] == 1;
    }

    /** The eight 16-bit groups of a hex-only IPv6 address, or null when it is not one. */
    private static int[] ipv6Groups(String address) {
        int gap = address.indexOf("::");
        if (gap >= 0 && address.indexOf("::", gap + 1) >= 0) {
            return null;
        }
        String[] head = groupsOf(gap < 0 ? address : address.substring(0, gap));
        String[] tail = gap < 0 ? new String[0] : groupsOf(address.substring(gap + 2));
        if (head == null || tail == null) {
            return null;
        }
        int present = head.length + tail.length;
        if (gap < 0 ? present != 8 : present > 7) {
            return null;
        }
        int[] groups = new int[8];
        for (int i = 0; i < head.length; i++) {
            groups[i] = Integer.parseInt(head[i], 16);
        }
        for (int i = 0; i < tail.length; i++) {
            groups[8 - tail.length + i] = Integer.parseInt(tail[i], 16);
        }
        return groups;
    }

    private static String[] groupsOf(String part) {
        if (part.isEmpty()) {
            return new String[0];
        }
        String[] groups = part.split(":", -1);
        for (String group : groups) {
            if (group.isEmpty() || group.length() > 4 || !group.chars().allMatch(c -> ReferenceGrammar.isHexDigit((char) c))) {
                return null;
            }
        }
        return groups;
    }
}
