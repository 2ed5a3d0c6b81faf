package dev.jcontainers.core.network;

import dev.jcontainers.api.NetworkManager;
import dev.jcontainers.api.NetworkMode;
import dev.jcontainers.core.network.dns.DnsServer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** A container's {@code /etc/resolv.conf}, derived from the host's as Docker does. */
public final class ResolvConf {
    public static final Path HOST = Path.of("/etc/resolv.conf");

    private ResolvConf() {
    }

    /** The host's resolv.conf lines; none when it is missing or unreadable. */
    public static List<String> hostLines() {
        try {
            return Files.isReadable(HOST) ? Files.readAllLines(HOST) : List.of();
        } catch (IOException e) {
            return List.of();
        }
    }

    /**
     * On a user-defined network: the embedded DNS server, with the host's search domains and
     * {@code ndots:0} (names are tried as given first). Host network: the host's file. Otherwise the host's
     * file without loopback name servers, which the container's own namespace cannot reach.
     */
    public static String render(NetworkMode network, List<String> hostLines) {
        boolean embedded = network instanceof NetworkMode.Bridge b && b.network() != null
                && !b.network().equals(NetworkManager.DEFAULT_NETWORK) && !b.network().equals("default");
        StringBuilder out = new StringBuilder();
        if (embedded) {
            out.append("nameserver ").append(DnsServer.ADDRESS).append('\n');
        }
        for (String line : hostLines) {
            String t = line.trim();
            boolean nameserver = t.startsWith("nameserver");
            if (embedded && (nameserver || t.startsWith("options"))) {
                continue;
            }
            if (nameserver && !(network instanceof NetworkMode.Host) && (t.contains(" 127.") || t.contains(" ::1"))) {
                continue;
            }
            out.append(line).append('\n');
        }
        if (embedded) {
            out.append("options ndots:0\n");
        }
        return out.toString();
    }
}
