package dev.jcontainers.core.network.dns;

import org.xbill.DNS.ExtendedResolver;
import org.xbill.DNS.Resolver;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;

/** The name servers the embedded DNS forwards to. */
public final class Upstreams {
    private static final Duration TIMEOUT = Duration.ofSeconds(4);

    private Upstreams() {
    }

    /**
     * Fails on a server that is not an IP address, up front: {@link #of} runs only when a container first needs
     * the embedded DNS.
     */
    public static void check(List<String> servers) {
        for (String s : servers) {
            try {
                InetAddress.ofLiteral(s);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("a DNS server must be an IP address: " + s, e);
            }
        }
    }

    /**
     * A resolver over {@code servers} (IP addresses, tried in turn), or null for none; over TCP when {@code tcp},
     * else over UDP with a truncated answer asked again over TCP of the same server.
     */
    public static Resolver of(List<String> servers, boolean tcp) {
        if (servers.isEmpty()) {
            return null;
        }
        try {
            ExtendedResolver r = new ExtendedResolver(servers.toArray(String[]::new));
            r.setTimeout(TIMEOUT);
            r.setTCP(tcp);
            return r;
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("a DNS server must be an IP address: " + e.getMessage(), e);
        }
    }

    /**
     * The addresses of the {@code nameserver} lines of a resolv.conf; the engine runs in the host's namespace,
     * so loopback ones work.
     */
    public static List<String> fromResolvConf(List<String> lines) {
        return lines.stream().map(String::trim).filter(l -> l.startsWith("nameserver"))
                .map(l -> l.substring("nameserver".length()).trim()).filter(s -> !s.isEmpty()).toList();
    }
}
