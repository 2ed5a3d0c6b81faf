package dev.jcontainers.core.network;

import dev.jcontainers.api.ContainerException;
import dev.jcontainers.api.NetworkInUseException;
import dev.jcontainers.api.NetworkInfo;
import dev.jcontainers.api.NetworkManager;
import dev.jcontainers.api.NetworkMode;
import dev.jcontainers.api.NetworkNotFoundException;
import dev.jcontainers.api.PortBinding;
import dev.jcontainers.api.EngineOptions;
import dev.jcontainers.api.StorageException;
import dev.jcontainers.linux.net.Address;
import dev.jcontainers.linux.net.Link;
import dev.jcontainers.linux.net.NetlinkSession;

import java.io.IOException;
import java.net.Inet4Address;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Bridge networks of one engine root: their records and address allocation ({@link NetworkManager}), and
 * the part of a container's life that concerns them: an address reserved at create, the veth wired at start
 * (before the container runs anything), unwired when it exits, the address released at removal.
 *
 * <p>Name resolution is static: on a user-defined network every wired container's {@code /etc/hosts} lists
 * the others by name, and is rewritten (in place, so the bind mount sees it) whenever one starts or stops.
 * The default network, as in Docker, resolves no names.
 *
 * <p>With NAT ({@link EngineOptions#nat()}), a network other than {@code --internal} gets outbound
 * masquerade when its first container is wired ({@link OutboundNat}), and a container's published ports are
 * mapped while it is wired ({@link PortPublisher}).
 */
public final class NetworkService implements NetworkManager {
    /** The runtime-spec annotation that records a container's {@code --network}, in Docker's syntax. */
    public static final String ANNOTATION = "dev.jcontainers.network";
    static final String DEFAULT_BRIDGE = "jc0";
    static final Subnet DEFAULT_SUBNET = Subnet.parse("10.77.0.0/16");
    /** Where subnets of user-defined networks without {@code --subnet} come from: 10.78.0.0/16 upwards. */
    private static final int AUTO_FIRST = Subnet.parseAddress("10.78.0.0");
    private static final int AUTO_LAST = Subnet.parseAddress("10.127.0.0");
    private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.-]*");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path containersDir;
    private final NetworkStore store;
    private final BridgeDriver driver = new BridgeDriver();
    private final boolean nat;
    private final PortPublisher ports;
    private final OutboundNat outbound;

    public NetworkService(Path root) {
        this(root, EngineOptions.defaults().nat());
    }

    public NetworkService(Path root, boolean nat) {
        this.containersDir = root.resolve("containers");
        this.store = new NetworkStore(root.resolve("networks"));
        this.nat = nat;
        this.ports = new PortPublisher(containersDir);
        this.outbound = new OutboundNat(root);
    }

    /** Whether this engine manages NAT and forwarding (and so can publish ports). */
    public boolean natEnabled() {
        return nat;
    }

    // ---- NetworkManager ---------------------------------------------------------------------------

    @Override
    public NetworkInfo create(String name, String subnet, String gateway, boolean internal) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("invalid network name \"" + name + "\": only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed");
        }
        if (List.of("none", "host", "default", "bridge").contains(name) || name.startsWith("container:")) {
            throw new ContainerException("network name " + name + " is reserved for a predefined network");
        }
        return store.locked(() -> {
            ensureDefault();
            if (store.load(name).isPresent()) {
                throw new ContainerException("network with name " + name + " already exists");
            }
            List<NetworkRecord> existing = store.list();
            Subnet s = subnet != null ? Subnet.parse(subnet) : pickSubnet(existing);
            checkNoOverlap(s, existing);
            int gw = gateway != null ? Subnet.parseAddress(gateway) : s.firstHost();
            if (!s.isHost(gw)) {
                throw new IllegalArgumentException("gateway " + Subnet.format(gw) + " is not a host address of " + s);
            }
            String id = newId();
            NetworkRecord r = new NetworkRecord(id, name, "br-" + id.substring(0, 12), s.toString(), Subnet.format(gw),
                    internal, Instant.now().toString(), Map.of());
            store.save(r);
            return info(r);
        });
    }

    @Override
    public List<NetworkInfo> list() {
        return store.locked(() -> {
            ensureDefault();
            return store.list().stream().sorted((a, b) -> a.name().compareTo(b.name())).map(NetworkService::info).toList();
        });
    }

    @Override
    public NetworkInfo inspect(String nameOrId) {
        return info(store.locked(() -> resolve(nameOrId)));
    }

    @Override
    public void remove(String nameOrId) {
        store.locked(() -> {
            NetworkRecord r = resolve(nameOrId);
            if (r.name().equals(DEFAULT_NETWORK)) {
                throw new ContainerException(DEFAULT_NETWORK + " is a pre-defined network and cannot be removed");
            }
            if (!r.endpoints().isEmpty()) {
                throw new NetworkInUseException("error while removing network: network " + r.name() + " id " + r.id()
                        + " has active endpoints (" + String.join(", ", r.endpoints().values().stream()
                        .map(NetworkRecord.Endpoint::containerName).toList()) + ")");
            }
            if (nat) {
                outbound.disable(r);
            }
            deleteBridgeIfPresent(r.bridge());
            store.delete(r.name());
            return null;
        });
    }

    @Override
    public List<String> prune() {
        return store.locked(() -> {
            List<String> removed = new ArrayList<>();
            for (NetworkRecord r : store.list()) {
                if (!r.name().equals(DEFAULT_NETWORK) && r.endpoints().isEmpty()) {
                    remove(r.name());
                    removed.add(r.name());
                }
            }
            return removed;
        });
    }

    // ---- the container side ------------------------------------------------------------------------

    /** {@code --network} as Docker writes it: none, host, bridge, container:ID, or a network name. */
    public static String describe(NetworkMode mode) {
        return switch (mode) {
            case NetworkMode.None n -> "none";
            case NetworkMode.Host h -> "host";
            case NetworkMode.Bridge b -> b.network() == null ? DEFAULT_NETWORK : b.network();
            case NetworkMode.Container c -> "container:" + c.nameOrId();
        };
    }

    /**
     * At container create: for a bridge network, reserves the container's address (refused when the
     * network does not exist or its pool is exhausted). Other modes need nothing here.
     */
    public void join(String containerId, String containerName, String hostname, NetworkMode mode) {
        if (!(mode instanceof NetworkMode.Bridge b)) {
            return;
        }
        String name = b.network() == null ? DEFAULT_NETWORK : b.network();
        store.locked(() -> {
            ensureDefault();
            NetworkRecord r = resolve(name);
            int address = r.allocator().allocate();
            store.save(r.withEndpoint(containerId, new NetworkRecord.Endpoint(containerName, hostname,
                    Subnet.format(address), null)));
            return null;
        });
    }

    /**
     * At container start, between clone and exec (the launch's sync hook): {@code lo} up in a private
     * namespace, and for a bridge network the veth pair wired and every peer's {@code /etc/hosts} rewritten.
     */
    public void connect(String containerId, NetworkMode mode, long pid) {
        switch (mode) {
            case NetworkMode.None n -> driver.loopbackOnly(pid);
            case NetworkMode.Bridge b -> store.locked(() -> {
                NetworkRecord r = networkOf(containerId).orElseThrow(() -> new ContainerException(
                        "container " + containerId.substring(0, 12) + " has no address on network " + describe(mode)));
                NetworkRecord.Endpoint e = r.endpoints().get(containerId);
                if (e.veth() != null) {
                    driver.unplug(e.veth()); // left over from a run whose exit went unrecorded
                }
                driver.ensureBridge(r);
                if (nat) {
                    outbound.enable(r);
                }
                String veth = driver.plug(r, e.ipAddress(), pid);
                NetworkRecord wired = r.withEndpoint(containerId, e.withVeth(veth));
                try {
                    store.save(wired);
                } catch (RuntimeException failure) {
                    driver.unplug(veth);
                    throw failure;
                }
                rewriteHosts(wired);
                if (nat) { // without NAT (Docker's --iptables=false) published ports stay unmapped
                    ports.publish(containerId, wired, e.ipAddress()); // on failure the caller disconnects
                }
                return null;
            });
            case NetworkMode.Host h -> { }
            case NetworkMode.Container c -> { }
        }
    }

    /** When the container has exited: its veth goes (if the kernel has not removed it with the namespace). */
    public void disconnect(String containerId) {
        store.locked(() -> {
            ports.unpublish(containerId);
            Optional<NetworkRecord> r = networkOf(containerId);
            if (r.isEmpty() || r.get().endpoints().get(containerId).veth() == null) {
                return null;
            }
            NetworkRecord.Endpoint e = r.get().endpoints().get(containerId);
            driver.unplug(e.veth());
            NetworkRecord unwired = r.get().withEndpoint(containerId, e.withVeth(null));
            store.save(unwired);
            rewriteHosts(unwired);
            return null;
        });
    }

    /** At container removal: unwired, and its address given back to the network. */
    public void leave(String containerId) {
        store.locked(() -> {
            disconnect(containerId);
            networkOf(containerId).ifPresent(r -> store.save(r.withEndpoint(containerId, null)));
            return null;
        });
    }

    /**
     * At container create: the ports to publish whenever it is wired to its bridge network. Refused when
     * this engine has no NAT.
     */
    public void requestPorts(String containerId, List<PortBinding> bindings) {
        if (!bindings.isEmpty() && !nat) {
            throw new ContainerException("publishing ports needs NAT, which this engine was opened without "
                    + "(EngineOptions nat(false), or -D" + EngineOptions.NAT_PROPERTY + "=false)");
        }
        ports.request(containerId, bindings);
    }

    /** The container's published ports: as mapped while it runs, as asked for otherwise. */
    public List<PortBinding> publishedPorts(String containerId) {
        return ports.ports(containerId);
    }

    /** The container's address on its bridge network, if it has one. */
    public Optional<String> addressOf(String containerId) {
        return store.locked(() -> networkOf(containerId).map(r -> r.endpoints().get(containerId).ipAddress()));
    }

    // ---- internals -------------------------------------------------------------------------------

    private Optional<NetworkRecord> networkOf(String containerId) {
        return store.list().stream().filter(r -> r.endpoints().containsKey(containerId)).findFirst();
    }

    private NetworkRecord resolve(String nameOrId) {
        if (nameOrId.equals("default")) {
            nameOrId = DEFAULT_NETWORK;
        }
        Optional<NetworkRecord> byName = store.load(nameOrId);
        if (byName.isPresent()) {
            return byName.get();
        }
        String prefix = nameOrId;
        List<NetworkRecord> byId = store.list().stream().filter(r -> r.id().startsWith(prefix)).toList();
        if (byId.size() == 1 && !prefix.isEmpty()) {
            return byId.getFirst();
        }
        throw new NetworkNotFoundException(nameOrId);
    }

    /** The default network's record, made on first use like Docker's {@code docker0}. */
    private void ensureDefault() {
        if (store.load(DEFAULT_NETWORK).isEmpty()) {
            store.save(new NetworkRecord(newId(), DEFAULT_NETWORK, DEFAULT_BRIDGE, DEFAULT_SUBNET.toString(),
                    Subnet.format(DEFAULT_SUBNET.firstHost()), false, Instant.now().toString(), Map.of()));
        }
    }

    private Subnet pickSubnet(List<NetworkRecord> existing) {
        for (int n = AUTO_FIRST; Integer.compareUnsigned(n, AUTO_LAST) <= 0; n += 1 << 16) {
            Subnet candidate = new Subnet(n, 16);
            if (existing.stream().noneMatch(r -> r.parsedSubnet().overlaps(candidate))
                    && hostAddressIn(candidate).isEmpty()) {
                return candidate;
            }
        }
        throw new ContainerException("could not find an available, non-overlapping IPv4 address pool among the defaults");
    }

    /**
     * Refuses a subnet that overlaps another network's, or one the host already has an address in (a real
     * network here): a bridge there would take the host's traffic for it.
     */
    private void checkNoOverlap(Subnet s, List<NetworkRecord> existing) {
        for (NetworkRecord r : existing) {
            if (r.parsedSubnet().overlaps(s)) {
                throw new ContainerException("Pool overlaps with other one on this address space: " + s
                        + " overlaps network " + r.name() + " (" + r.subnet() + ")");
            }
        }
        Optional<String> host = hostAddressIn(s);
        if (host.isPresent()) {
            throw new ContainerException("subnet " + s + " overlaps a network of the host: " + host.get());
        }
    }

    /** An IPv4 address of the host's namespace inside {@code s}, described with its link. */
    private static Optional<String> hostAddressIn(Subnet s) {
        try (NetlinkSession host = NetlinkSession.open()) {
            List<Link> links = host.listLinks();
            for (Address a : host.listAddresses()) {
                if (a.address() instanceof Inet4Address v4) {
                    int shorter = Math.min(a.prefixLength(), s.length());
                    int mask = Subnet.mask(shorter);
                    if ((Subnet.parseAddress(v4.getHostAddress()) & mask) == (s.network() & mask)) {
                        String link = links.stream().filter(l -> l.index() == a.linkIndex()).map(Link::name).findFirst()
                                .orElse("link " + a.linkIndex());
                        return Optional.of(v4.getHostAddress() + "/" + a.prefixLength() + " on " + link);
                    }
                }
            }
        }
        return Optional.empty();
    }

    private void deleteBridgeIfPresent(String bridge) {
        boolean present;
        try (NetlinkSession host = NetlinkSession.open()) {
            present = host.findLink(bridge).isPresent();
        }
        if (present) {
            driver.removeBridge(bridge);
        }
    }

    /** Rewrites /etc/hosts of every wired container on the network, in place (the file is bind-mounted). */
    private void rewriteHosts(NetworkRecord r) {
        for (Map.Entry<String, NetworkRecord.Endpoint> own : r.endpoints().entrySet()) {
            if (own.getValue().veth() == null) {
                continue;
            }
            List<HostsFile.Entry> entries = new ArrayList<>();
            entries.add(entry(own.getValue()));
            if (r.resolvesNames()) {
                r.endpoints().forEach((id, peer) -> {
                    if (!id.equals(own.getKey()) && peer.veth() != null) {
                        entries.add(entry(peer));
                    }
                });
            }
            Path file = containersDir.resolve(own.getKey()).resolve("hosts");
            try {
                Files.writeString(file, HostsFile.render(entries), StandardCharsets.UTF_8, StandardOpenOption.WRITE,
                        StandardOpenOption.TRUNCATE_EXISTING);
            } catch (NoSuchFileException e) {
                // the container is being removed
            } catch (IOException e) {
                throw new StorageException("cannot write " + file + ": " + e.getMessage(), e);
            }
        }
    }

    private static HostsFile.Entry entry(NetworkRecord.Endpoint e) {
        List<String> names = e.hostname() == null || e.hostname().equals(e.containerName())
                ? List.of(e.containerName()) : List.of(e.containerName(), e.hostname());
        return new HostsFile.Entry(e.ipAddress(), names);
    }

    private static NetworkInfo info(NetworkRecord r) {
        List<NetworkInfo.Endpoint> endpoints = new ArrayList<>();
        r.endpoints().forEach((id, e) -> endpoints.add(new NetworkInfo.Endpoint(id, e.containerName(), e.ipAddress(),
                e.veth() != null)));
        return new NetworkInfo(r.id(), r.name(), "bridge", r.bridge(), r.subnet(), r.gateway(), r.internal(),
                Instant.parse(r.created()), endpoints);
    }

    private static String newId() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
