package dev.jcontainers.api;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code -p [hostIp:]hostPort:containerPort[/protocol]}; hostPort 0 picks a free port, hostIp null (or
 * {@code 0.0.0.0}) means every address of the host.
 */
public record PortBinding(String hostIp, int hostPort, int containerPort, String protocol) {
    private static final Pattern SPEC = Pattern.compile(
            "(?:(?<ip>\\d{1,3}(?:\\.\\d{1,3}){3}):)?(?:(?<host>\\d*):)?(?<container>\\d+)(?:/(?<proto>[a-z]+))?");
    private static final Pattern IPV4 = Pattern.compile("(25[0-5]|2[0-4]\\d|1?\\d?\\d)(\\.(25[0-5]|2[0-4]\\d|1?\\d?\\d)){3}");

    public PortBinding {
        if (hostPort < 0 || hostPort > 65535 || containerPort < 1 || containerPort > 65535) {
            throw new IllegalArgumentException("invalid port mapping " + hostPort + ":" + containerPort);
        }
        if (protocol == null) {
            protocol = "tcp";
        }
        if (!protocol.equals("tcp") && !protocol.equals("udp")) {
            throw new IllegalArgumentException("protocol must be tcp or udp: " + protocol);
        }
        if ("0.0.0.0".equals(hostIp) || (hostIp != null && hostIp.isEmpty())) {
            hostIp = null;
        }
        if (hostIp != null && !IPV4.matcher(hostIp).matches()) {
            throw new IllegalArgumentException("host address must be an IPv4 address: " + hostIp);
        }
    }

    /** Container port {@code containerPort}/tcp on a free port of every host address ({@code -p 80}). */
    public static PortBinding of(int containerPort) {
        return new PortBinding(null, 0, containerPort, "tcp");
    }

    /**
     * Docker's {@code -p} syntax: {@code 80}, {@code 8080:80}, {@code 127.0.0.1:8080:80}, {@code 127.0.0.1::80},
     * each optionally followed by {@code /tcp} or {@code /udp}.
     */
    public static PortBinding parse(String spec) {
        Matcher m = SPEC.matcher(spec == null ? "" : spec.strip());
        if (!m.matches()) {
            throw new IllegalArgumentException("invalid port specification: \"" + spec
                    + "\" (expected [ip:][hostPort:]containerPort[/tcp|/udp])");
        }
        String host = m.group("host");
        try {
            return new PortBinding(m.group("ip"), host == null || host.isEmpty() ? 0 : Integer.parseInt(host),
                    Integer.parseInt(m.group("container")), m.group("proto"));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("invalid port specification: \"" + spec + "\"", e);
        }
    }

    /** As Docker prints it in {@code ps}: {@code 0.0.0.0:8080->80/tcp}. */
    @Override
    public String toString() {
        return (hostIp == null ? "0.0.0.0" : hostIp) + ":" + hostPort + "->" + containerPort + "/" + protocol;
    }
}
