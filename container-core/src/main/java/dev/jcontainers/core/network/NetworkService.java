package dev.jcontainers.core.network;

import dev.jcontainers.api.ContainerException;
import dev.jcontainers.api.NetworkInUseException;
import dev.jcontainers.api.NetworkInfo;
import dev.jcontainers.api.NetworkManager;
import dev.jcontainers.api.NetworkMode;
import dev.jcontainers.api.NetworkNotFoundException;
import dev.jcontainers.api.PortBinding;
import dev.jcontainers.api.EngineOptions;
import dev.jcontainers.api.NetworkSpec;
import dev.jcontainers.api.StorageException;
import dev.jcontainers.core.network.dns.DnsAnswerer;
import dev.jcontainers.core.network.dns.DnsServer;
import dev.jcontainers.core.network.dns.NameDirectory;
import dev.jcontainers.core.network.dns.Upstreams;
import dev.jcontainers.linux.net.Address;
import dev.jcontainers.linux.net.Link;
import dev.jcontainers.linux.net.NetlinkSession;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
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
 * <p>Names: on user-defined networks containers find each other by name, alias and short ID through the
 * engine's embedded DNS server ({@link DnsServer}, 127.0.0.11 in each container), which answers from these
 * records, so containers started later resolve too. Every wired container's {@code /etc/hosts} also lists
 * its peers and is rewritten (in place, so the bind mount sees it) whenever one comes or goes: the fallback
 * when no engine runs. The default network, as in Docker, resolves no names.
 *
 * <p>With NAT ({@link EngineOptions#nat()}), a bridge network other than {@code --internal} gets outbound
 * masquerade when its first container is wired ({@link OutboundNat}), and a container's published ports are
 * mapped on its first bridge network while it is wired ({@link PortPublisher}).
 */
public final class NetworkService implements NetworkManager, AutoCloseable {
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
    private static final String IFACE_PREFIX = "eth";
    private final boolean nat;
    private final PortPublisher ports;
    private final OutboundNat outbound;

    private final BridgeDriver driver = new BridgeDriver();
    private final DnsServer dns;

    /** Forwards names that are not containers to the host's name servers. */
    public NetworkService(Path root) {
        this(root, EngineOptions.defaults().nat());
    }

    public NetworkService(Path root, boolean nat) {
        this(root, nat, Upstreams.fromResolvConf(ResolvConf.hostLines()));
    }

    /** {@code dnsServers}: where the embedded DNS forwards other names; empty forwards none. */
    public NetworkService(Path root, boolean nat, List<String> dnsServers) {
        this.containersDir = root.resolve("containers");
        this.store = new NetworkStore(root.resolve("networks"));
        Upstreams.check(dnsServers);
        List<String> upstreams = List.copyOf(dnsServers);
        this.dns = new DnsServer(() -> new DnsAnswerer(this::lookup,
                Upstreams.of(upstreams, false), Upstreams.of(upstreams, true)));
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
    public NetworkInfo create(NetworkSpec spec) {
        String name = spec.name();
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
            boolean macvlan = spec.driver().equals(NetworkSpec.MACVLAN);
            List<HostAddress> host = HostAddress.list();
            Subnet s = spec.subnet() != null ? Subnet.parse(spec.subnet()) : pickSubnet(existing, host);
            checkNoOverlap(s, existing, host);
            int gw = spec.gateway() != null ? Subnet.parseAddress(spec.gateway()) : s.firstHost();
            if (!s.isHost(gw)) {
                throw new IllegalArgumentException("gateway " + Subnet.format(gw) + " is not a host address of " + s);
            }
            if (macvlan) {
                MacvlanDriver.checkParent(spec.options().get("parent"));
            }
            String id = newId();
            NetworkRecord r = new NetworkRecord(id, name, macvlan ? null : "br-" + id.substring(0, 12), s.toString(),
                    Subnet.format(gw), spec.internal(), Instant.now().toString(), Map.of(), spec.driver(), spec.options());
            if (!macvlan) {
                BridgeDriver.mtuOf(r);
            }
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
            if (!r.macvlan()) {
                if (nat) {
                    outbound.disable(r);
                }
                driver.removeBridge(r.bridge());
            }
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
        store.locked(() -> {
            ensureDefault();
            addEndpoint(resolve(b.network() == null ? DEFAULT_NETWORK : b.network()), containerId, containerName,
                    hostname, b.aliases());
            return null;
        });
    }

    /**
     * At container start, between clone and exec (the launch's sync hook): {@code lo} up in a private
     * namespace, and for a bridge network the container wired to every network it is on ({@code eth0},
     * {@code eth1}, ...), the peers' {@code /etc/hosts} rewritten, and the embedded DNS server started.
     */
    public void connect(String containerId, NetworkMode mode, long pid) {
        switch (mode) {
            case NetworkMode.None n -> driver.loopbackOnly(pid);
            case NetworkMode.Bridge b -> connectBridged(containerId, pid);
            case NetworkMode.Host h -> { }
            case NetworkMode.Container c -> { }
        }
    }

    /**
     * {@link #connect(String, NetworkMode, long)} for bridge mode. The sockets inside the container's namespace are
     * opened first, by a thread of their own, while this one reads the records and creates the veth pairs.
     */
    private void connectBridged(String containerId, long pid) {
        try (WiringSessions sessions = WiringSessions.open(pid)) {
            store.locked(() -> {
                List<NetworkRecord> all = store.list();
                List<NetworkRecord> mine = networksOf(containerId, all);
                List<NetworkRecord> wired = new ArrayList<>();
                try {
                    // on no network (disconnected from every one) it starts with lo only, as in Docker
                    for (NetworkRecord r : mine) {
                        wired.add(wire(sessions, r, containerId, pid));
                    }
                    if (mine.stream().anyMatch(NetworkRecord::resolvesNames)) {
                        dns.serve(containerId, BridgeDriver.netnsOf(pid), sessions.takeDnsSockets());
                    }
                    sessions.inside(); // lo is up
                } catch (RuntimeException failure) {
                    for (NetworkRecord r : wired) {
                        try {
                            unwire(r, containerId, -1);
                        } catch (RuntimeException cleanup) {
                            failure.addSuppressed(cleanup);
                        }
                    }
                    throw failure;
                }
                rewriteHosts(wired, replacing(all, wired));
                if (nat) { // without NAT (Docker's --iptables=false) published ports stay unmapped
                    wired.stream().filter(r -> !r.macvlan()).findFirst() // on failure the caller disconnects
                            .ifPresent(r -> ports.publish(containerId, r, r.endpoints().get(containerId).ipAddress()));
                }
                return null;
            });
        }
    }

    /**
     * {@code docker network connect}: an address for the container on one more network, and if it runs
     * ({@code pid} > 0) the interface at once. Refused on the default network with aliases, and when the
     * container is on that network already.
     */
    public void connect(String containerId, String containerName, String hostname, String network, List<String> aliases,
                        long pid) {
        store.locked(() -> {
            ensureDefault();
            NetworkRecord r = resolve(network);
            if (!aliases.isEmpty() && !r.resolvesNames()) {
                throw new IllegalArgumentException("network-scoped aliases are only supported for user-defined networks");
            }
            if (r.endpoints().containsKey(containerId)) {
                throw new ContainerException("endpoint with name " + containerName + " already exists in network "
                        + r.name());
            }
            NetworkRecord joined = addEndpoint(r, containerId, containerName, hostname, aliases);
            if (pid > 0) {
                try {
                    try (WiringSessions sessions = WiringSessions.open(pid)) {
                        rewriteHosts(List.of(wire(sessions, joined, containerId, pid)));
                        if (networksOf(containerId).stream().anyMatch(NetworkRecord::resolvesNames)) {
                            dns.serve(containerId, BridgeDriver.netnsOf(pid), sessions.takeDnsSockets());
                        }
                    }
                } catch (RuntimeException failure) {
                    try {
                        store.save(unwire(resolve(joined.name()), containerId, pid).withEndpoint(containerId, null));
                    } catch (RuntimeException cleanup) {
                        failure.addSuppressed(cleanup);
                    }
                    throw failure;
                }
            }
            return null;
        });
    }

    /**
     * {@code docker network disconnect}: the container's interface on {@code network} removed (from the running
     * container whose process is {@code pid} > 0) and its address released.
     */
    public void disconnect(String containerId, String containerName, String network, long pid) {
        store.locked(() -> {
            NetworkRecord r = resolve(network);
            if (!r.endpoints().containsKey(containerId)) {
                throw new ContainerException("container " + containerName + " is not connected to network " + r.name());
            }
            NetworkRecord unwired = unwire(r, containerId, pid);
            NetworkRecord left = unwired.withEndpoint(containerId, null);
            store.save(left);
            rewriteHosts(List.of(left));
            if (networksOf(containerId).stream().noneMatch(NetworkRecord::resolvesNames)) {
                dns.stop(containerId);
            }
            return null;
        });
    }

    /** When the container has exited: its veths go (if the kernel has not removed them with the namespace). */
    public void disconnect(String containerId) {
        dns.stop(containerId);
        store.locked(() -> {
            ports.unpublish(containerId);
            List<NetworkRecord> unwired = new ArrayList<>();
            for (NetworkRecord r : networksOf(containerId)) {
                if (r.endpoints().get(containerId).wired()) {
                    unwired.add(unwire(r, containerId, -1));
                }
            }
            rewriteHosts(unwired);
            return null;
        });
    }

    /** At container removal: unwired, and its addresses given back to the networks. */
    public void leave(String containerId) {
        store.locked(() -> {
            disconnect(containerId);
            networksOf(containerId).forEach(r -> store.save(r.withEndpoint(containerId, null)));
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

    /**
     * A new engine on a root where containers run: their embedded DNS server is served by this engine too
     * ({@code pid}: the container's process).
     */
    public void reattach(String containerId, long pid) {
        store.locked(() -> {
            serveDnsIfNamed(containerId, pid);
            return null;
        });
    }

    /** The container's address on its first network, if it has one. */
    public Optional<String> addressOf(String containerId) {
        return store.locked(() -> networksOf(containerId).stream().findFirst()
                .map(r -> r.endpoints().get(containerId).ipAddress()));
    }

    /** The container's address on {@code network}, if it is on it. */
    public Optional<String> addressOf(String containerId, String network) {
        return store.locked(() -> Optional.ofNullable(resolve(network).endpoints().get(containerId))
                .map(NetworkRecord.Endpoint::ipAddress));
    }

    /** Stops the embedded DNS server; the containers' networks stay as they are. */
    @Override
    public void close() {
        dns.close();
    }

    // ---- names ----------------------------------------------------------------------------------

    /**
     * The {@link NameDirectory} of the embedded DNS: running containers on the user-defined networks the
     * asking container is on, by name, alias or short ID. Reads the records without the lock: they are
     * replaced atomically, and a query must not wait for a container being wired.
     */
    List<InetAddress> lookup(String containerId, String name) {
        List<InetAddress> found = new ArrayList<>();
        for (NetworkRecord r : store.list()) {
            if (!r.resolvesNames() || !r.endpoints().containsKey(containerId)) {
                continue;
            }
            r.endpoints().forEach((id, e) -> {
                if (e.wired() && answersTo(id, e, name)) {
                    InetAddress a = InetAddress.ofLiteral(e.ipAddress()); // written by Subnet.format: IPv4
                    if (!found.contains(a)) {
                        found.add(a);
                    }
                }
            });
        }
        return found;
    }

    private static boolean answersTo(String id, NetworkRecord.Endpoint e, String name) {
        return name.equalsIgnoreCase(e.containerName()) || e.aliases().stream().anyMatch(name::equalsIgnoreCase)
                || (name.length() == 12 && id.startsWith(name));
    }

    private void serveDnsIfNamed(String containerId, long pid) {
        if (networksOf(containerId).stream().anyMatch(NetworkRecord::resolvesNames)) {
            dns.serve(containerId, BridgeDriver.netnsOf(pid));
        }
    }

    // ---- internals -------------------------------------------------------------------------------

    /** The networks the container is on, in the order it joined them (by interface: eth0, eth1, ...). */
    private List<NetworkRecord> networksOf(String containerId) {
        return networksOf(containerId, store.list());
    }

    private static List<NetworkRecord> networksOf(String containerId, List<NetworkRecord> all) {
        return all.stream().filter(r -> r.endpoints().containsKey(containerId))
                .sorted(java.util.Comparator.comparingInt(r -> ifaceIndex(r.endpoints().get(containerId).iface())))
                .toList();
    }

    /** {@code all} with the records of the same names as {@code updated} replaced by those. */
    private static List<NetworkRecord> replacing(List<NetworkRecord> all, List<NetworkRecord> updated) {
        return all.stream().map(r -> updated.stream().filter(u -> u.name().equals(r.name())).findFirst().orElse(r))
                .toList();
    }

    private static int ifaceIndex(String iface) {
        return Integer.parseInt(iface.substring(IFACE_PREFIX.length()));
    }

    /** An address on {@code r} and the next free interface name ({@code eth0}, {@code eth1}, ...). */
    private NetworkRecord addEndpoint(NetworkRecord r, String containerId, String containerName, String hostname,
                                      List<String> aliases) {
        java.util.Set<Integer> taken = new java.util.HashSet<>();
        networksOf(containerId).forEach(n -> taken.add(ifaceIndex(n.endpoints().get(containerId).iface())));
        int index = 0;
        while (taken.contains(index)) {
            index++;
        }
        int address = r.allocator().allocate();
        NetworkRecord joined = r.withEndpoint(containerId, new NetworkRecord.Endpoint(containerName, hostname,
                Subnet.format(address), null, IFACE_PREFIX + index, aliases));
        store.save(joined);
        return joined;
    }

    /**
     * Wires the container's endpoint on {@code r} through {@code sessions} (of its process {@code pid}) and
     * records it; nothing is left behind on failure.
     */
    private NetworkRecord wire(WiringSessions sessions, NetworkRecord r, String containerId, long pid) {
        NetworkRecord.Endpoint e = r.endpoints().get(containerId);
        if (e.wired() && !r.macvlan()) {
            driver.unplug(e.veth()); // left over from a run whose exit went unrecorded
        }
        String link = r.macvlan() ? MacvlanDriver.plug(sessions, r, e.ipAddress(), e.iface())
                : driver.plug(sessions, r, e.ipAddress(), e.iface());
        NetworkRecord wired = r.withEndpoint(containerId, e.withVeth(link));
        try {
            if (nat && !r.macvlan()) { // after plug: the bridge exists now, for its route_localnet
                outbound.enable(r);
            }
            store.saveWiring(r, containerId, link);
        } catch (RuntimeException failure) {
            try {
                unlink(r, link, pid);
            } catch (RuntimeException cleanup) {
                failure.addSuppressed(cleanup);
            }
            throw failure;
        }
        return wired;
    }

    /**
     * Removes the container's link on {@code r} and records it unwired. A macvlan link lives only in the
     * container's namespace: it is deleted there while the container runs ({@code pid} > 0) and goes with
     * the namespace otherwise.
     */
    private NetworkRecord unwire(NetworkRecord r, String containerId, long pid) {
        NetworkRecord.Endpoint e = r.endpoints().get(containerId);
        if (!e.wired()) {
            return r;
        }
        unlink(r, e.veth(), pid);
        NetworkRecord unwired = r.withEndpoint(containerId, e.withVeth(null));
        store.saveWiring(r, containerId, null);
        return unwired;
    }

    private void unlink(NetworkRecord r, String link, long pid) {
        if (!r.macvlan()) {
            driver.unplug(link);
        } else if (pid > 0) {
            BridgeDriver.deleteInside(pid, link);
        }
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

    private Subnet pickSubnet(List<NetworkRecord> existing, List<HostAddress> host) {
        for (int n = AUTO_FIRST; Integer.compareUnsigned(n, AUTO_LAST) <= 0; n += 1 << 16) {
            Subnet candidate = new Subnet(n, 16);
            if (existing.stream().noneMatch(r -> r.parsedSubnet().overlaps(candidate))
                    && host.stream().noneMatch(a -> a.overlaps(candidate))) {
                return candidate;
            }
        }
        throw new ContainerException("could not find an available, non-overlapping IPv4 address pool among the defaults");
    }

    /**
     * Refuses a subnet that overlaps another network's, or one the host already has an address in (a real
     * network here): a bridge there would take the host's traffic for it.
     */
    private static void checkNoOverlap(Subnet s, List<NetworkRecord> existing, List<HostAddress> host) {
        for (NetworkRecord r : existing) {
            if (r.parsedSubnet().overlaps(s)) {
                throw new ContainerException("Pool overlaps with other one on this address space: " + s
                        + " overlaps network " + r.name() + " (" + r.subnet() + ")");
            }
        }
        Optional<HostAddress> taken = host.stream().filter(a -> a.overlaps(s)).findFirst();
        if (taken.isPresent()) {
            throw new ContainerException("subnet " + s + " overlaps a network of the host: " + taken.get().description());
        }
    }

    /** An IPv4 address of the host's namespace; {@code description} names it with its prefix and link. */
    private record HostAddress(int address, int prefixLength, String description) {
        /** Read once per {@link #create}: one netlink dump, not one per candidate subnet. */
        static List<HostAddress> list() {
            try (NetlinkSession host = NetlinkSession.open()) {
                List<Link> links = host.listLinks();
                List<HostAddress> out = new ArrayList<>();
                for (Address a : host.listAddresses()) {
                    if (a.address() instanceof Inet4Address v4) {
                        String link = links.stream().filter(l -> l.index() == a.linkIndex()).map(Link::name)
                                .findFirst().orElse("link " + a.linkIndex());
                        out.add(new HostAddress(Subnet.parseAddress(v4.getHostAddress()), a.prefixLength(),
                                v4.getHostAddress() + "/" + a.prefixLength() + " on " + link));
                    }
                }
                return out;
            }
        }

        boolean overlaps(Subnet s) {
            int mask = Subnet.mask(Math.min(prefixLength, s.length()));
            return (address & mask) == (s.network() & mask);
        }
    }

    /**
     * Rewrites /etc/hosts, in place (the file is bind-mounted), of every wired container on the networks
     * {@code changed}: its own addresses, then the running peers of each user-defined network it is on. It
     * is the fallback for resolvers that read it first, and when no engine runs to answer DNS.
     */
    private void rewriteHosts(List<NetworkRecord> changed) {
        if (!changed.isEmpty()) {
            rewriteHosts(changed, store.list());
        }
    }

    /** As {@link #rewriteHosts(List)}, {@code all}: every network's record as it is on disk now. */
    private void rewriteHosts(List<NetworkRecord> changed, List<NetworkRecord> all) {
        if (changed.isEmpty()) {
            return;
        }
        java.util.Set<String> containers = new java.util.LinkedHashSet<>();
        for (NetworkRecord r : changed) {
            r.endpoints().forEach((id, e) -> {
                if (e.wired()) {
                    containers.add(id);
                }
            });
        }
        for (String id : containers) {
            List<HostsFile.Entry> entries = new ArrayList<>();
            List<NetworkRecord> mine = all.stream().filter(r -> r.endpoints().containsKey(id)).toList();
            mine.forEach(r -> entries.add(entry(r.endpoints().get(id))));
            for (NetworkRecord r : mine) {
                if (r.resolvesNames()) {
                    r.endpoints().forEach((peerId, peer) -> {
                        if (!peerId.equals(id) && peer.wired()) {
                            entries.add(entry(peer));
                        }
                    });
                }
            }
            Path file = containersDir.resolve(id).resolve("hosts");
            try {
                overwrite(file, HostsFile.render(entries).getBytes(StandardCharsets.UTF_8));
            } catch (NoSuchFileException e) {
                // the container is being removed
            } catch (IOException e) {
                throw new StorageException("cannot write " + file + ": " + e.getMessage(), e);
            }
        }
    }

    /**
     * Replaces the content of an existing file in place: written over from the start, then cut to its new
     * length. Not truncated to zero first: ext4 flushes a file truncated to zero to disk when it is closed
     * ({@code auto_da_alloc}), which cost ~1 ms per file on the start path. A reader may meet a mix of the
     * old and new lines for a moment, as it could meet an empty file before.
     */
    private static void overwrite(Path file, byte[] content) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ByteBuffer buffer = ByteBuffer.wrap(content);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.truncate(content.length);
        }
    }

    private static HostsFile.Entry entry(NetworkRecord.Endpoint e) {
        List<String> names = new ArrayList<>(List.of(e.containerName()));
        if (e.hostname() != null && !names.contains(e.hostname())) {
            names.add(e.hostname());
        }
        e.aliases().stream().filter(a -> !names.contains(a)).forEach(names::add);
        return new HostsFile.Entry(e.ipAddress(), names);
    }

    private static NetworkInfo info(NetworkRecord r) {
        List<NetworkInfo.Endpoint> endpoints = new ArrayList<>();
        r.endpoints().forEach((id, e) -> endpoints.add(new NetworkInfo.Endpoint(id, e.containerName(), e.ipAddress(),
                e.wired(), e.aliases())));
        return new NetworkInfo(r.id(), r.name(), r.driver(), r.bridge(), r.subnet(), r.gateway(), r.internal(),
                Instant.parse(r.created()), endpoints, r.options());
    }

    private static String newId() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
