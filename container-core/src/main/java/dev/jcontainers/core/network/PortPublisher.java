package dev.jcontainers.core.network;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dev.jcontainers.api.ContainerException;
import dev.jcontainers.api.PortAllocatedException;
import dev.jcontainers.api.PortBinding;
import dev.jcontainers.api.StorageException;
import dev.jcontainers.linux.net.nft.NatTable;
import dev.jcontainers.linux.net.nft.PortInUseException;
import dev.jcontainers.oci.image.OciJson;
import dev.jcontainers.oci.store.AtomicFiles;

import java.io.IOException;
import java.net.BindException;
import java.net.DatagramSocket;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A container's published ports ({@code -p}, {@code -P}): asked for at create, mapped with DNAT in our
 * nftables table ({@link NatTable}) while the container is wired to its bridge, unmapped when it is unwired.
 * The state is {@code containers/<id>/ports.json}: what was asked for, and what is mapped now. The mapping
 * is written there before the kernel gets it, so whoever unwires the container (this engine, or the next one
 * after a crash) finds every rule to delete.
 *
 * <p>Host ports are checked the way Docker's proxy would find out: a host port a host process has bound is
 * refused, and port 0 becomes a free port the kernel picks (bound once and released, as podman does).
 */
final class PortPublisher {
    private static final String FILE = "ports.json";
    private final Path containersDir;

    /** {@code active}: the mappings in the kernel now, each with its container address; empty when unwired. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record PortsFile(List<PortBinding> requested, List<Active> active) {
        PortsFile {
            requested = requested == null ? List.of() : List.copyOf(requested);
            active = active == null ? List.of() : List.copyOf(active);
        }
    }

    record Active(PortBinding binding, String containerIp) {
        NatTable.PortMapping mapping() {
            return new NatTable.PortMapping(binding.hostIp() == null ? null : ipv4(binding.hostIp()),
                    binding.protocol(), binding.hostPort(), ipv4(containerIp), binding.containerPort());
        }
    }

    PortPublisher(Path containersDir) {
        this.containersDir = containersDir;
    }

    /** At create: records the ports to publish whenever the container starts. */
    void request(String containerId, List<PortBinding> ports) {
        if (!ports.isEmpty()) {
            save(containerId, new PortsFile(ports, List.of()));
        }
    }

    /** The container's ports: mapped ones while it is wired, otherwise those asked for. */
    List<PortBinding> ports(String containerId) {
        PortsFile f = load(containerId);
        return f.active().isEmpty() ? f.requested() : f.active().stream().map(Active::binding).toList();
    }

    /** At wiring: maps every requested port to {@code containerIp}; all or none. */
    void publish(String containerId, NetworkRecord network, String containerIp) {
        PortsFile f = load(containerId);
        if (f.requested().isEmpty()) {
            return;
        }
        if (network.internal()) {
            throw new ContainerException("network " + network.name() + " is internal: it has no route to or from "
                    + "the host's networks, so ports cannot be published on it");
        }
        unpublish(containerId, f); // left over from a run whose exit went unrecorded
        List<Active> active = new ArrayList<>();
        for (PortBinding asked : f.requested()) {
            int hostPort = asked.hostPort() != 0 ? checkFree(asked) : freePort(asked);
            active.add(new Active(new PortBinding(asked.hostIp(), hostPort, asked.containerPort(), asked.protocol()),
                    containerIp));
        }
        save(containerId, new PortsFile(f.requested(), active));
        try {
            NatTable.publish(active.stream().map(Active::mapping).toList());
        } catch (RuntimeException e) {
            save(containerId, new PortsFile(f.requested(), List.of()));
            if (e instanceof PortInUseException) {
                throw new PortAllocatedException("driver failed programming external connectivity: one of "
                        + active.stream().map(a -> a.binding().toString()).toList()
                        + " is already allocated (published by another container)", e);
            }
            throw e;
        }
    }

    /** At unwiring: deletes the container's mappings; safe to repeat, and when some are gone already. */
    void unpublish(String containerId) {
        unpublish(containerId, load(containerId));
    }

    private void unpublish(String containerId, PortsFile f) {
        if (f.active().isEmpty()) {
            return;
        }
        NatTable.unpublish(f.active().stream().map(Active::mapping).toList());
        save(containerId, new PortsFile(f.requested(), List.of()));
    }

    private static int checkFree(PortBinding b) {
        try {
            return bindOnce(b, b.hostPort());
        } catch (BindException e) {
            throw new PortAllocatedException("Bind for " + (b.hostIp() == null ? "0.0.0.0" : b.hostIp()) + ":"
                    + b.hostPort() + " failed: port is already allocated", e);
        } catch (IOException e) {
            throw new ContainerException("cannot check host port " + b + ": " + e.getMessage(), e);
        }
    }

    private static int freePort(PortBinding b) {
        try {
            return bindOnce(b, 0);
        } catch (IOException e) {
            throw new ContainerException("cannot find a free host port for " + b + ": " + e.getMessage(), e);
        }
    }

    /** Binds {@code port} (0: any) on the binding's host address and protocol, releases it, returns the port. */
    private static int bindOnce(PortBinding b, int port) throws IOException {
        InetSocketAddress at = b.hostIp() == null ? new InetSocketAddress(port) : new InetSocketAddress(ipv4(b.hostIp()), port);
        if (b.protocol().equals("udp")) {
            try (DatagramSocket s = new DatagramSocket(at)) {
                return s.getLocalPort();
            }
        }
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true); // a port whose last connection lingers in TIME_WAIT is free to map
            s.bind(at);
            return s.getLocalPort();
        }
    }

    private PortsFile load(String containerId) {
        Path file = containersDir.resolve(containerId).resolve(FILE);
        try {
            byte[] json = Files.readAllBytes(file); // first: a container without ports never needs the mapper
            return OciJson.mapper().readValue(json, PortsFile.class);
        } catch (NoSuchFileException e) {
            return new PortsFile(List.of(), List.of());
        } catch (IOException e) {
            throw new StorageException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private void save(String containerId, PortsFile f) {
        Path dir = containersDir.resolve(containerId);
        try {
            AtomicFiles.write(dir.resolve(FILE), OciJson.mapper().writeValueAsBytes(f), dir, ".ports-");
        } catch (IOException e) {
            throw new StorageException("cannot write " + dir.resolve(FILE) + ": " + e.getMessage(), e);
        }
    }

    private static Inet4Address ipv4(String literal) {
        return (Inet4Address) InetAddress.ofLiteral(literal);
    }
}
