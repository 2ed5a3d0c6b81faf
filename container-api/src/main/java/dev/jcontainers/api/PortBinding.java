package dev.jcontainers.api;

/** {@code -p [hostIp:]hostPort:containerPort[/protocol]}; hostPort 0 picks a free port. */
public record PortBinding(String hostIp, int hostPort, int containerPort, String protocol) {
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
    }
}
