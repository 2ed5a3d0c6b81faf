package dev.jcontainers.api;

import javax.net.ssl.SSLContext;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * How to open an engine. Defaults: root {@code /var/lib/jcontainers} for root, else
 * {@code $XDG_DATA_HOME/jcontainers} ({@code ~/.local/share/jcontainers}); credentials from
 * {@code ~/.docker/config.json}; plain HTTP only for loopback registries and those named insecure.
 */
public final class EngineOptions {
    /** System property that, set to {@code false}, turns {@link #nat()} off by default (tests on a host). */
    public static final String NAT_PROPERTY = "jcontainers.nat";
    private final Path root;
    private final Set<String> insecureRegistries;
    private final Map<String, Credentials> credentials;
    private final Path dockerConfig;
    private final Platform platform;
    private final int parallelDownloads;
    private final SSLContext sslContext;
    private final boolean nat;
    private final java.util.List<String> dnsServers;
    private final LaunchPreparation launchPreparation;

    private EngineOptions(Builder b) {
        this.root = b.root;
        this.insecureRegistries = Set.copyOf(b.insecureRegistries);
        this.credentials = Map.copyOf(b.credentials);
        this.dockerConfig = b.dockerConfig;
        this.platform = b.platform;
        this.parallelDownloads = b.parallelDownloads;
        this.sslContext = b.sslContext;
        this.nat = b.nat;
        this.dnsServers = b.dnsServers == null ? null : java.util.List.copyOf(b.dnsServers);
        this.launchPreparation = b.launchPreparation;
    }

    public static Builder builder() {
        return new Builder();
    }

    public static EngineOptions defaults() {
        return builder().build();
    }

    public Path root() {
        return root != null ? root : defaultRoot();
    }

    public Set<String> insecureRegistries() {
        return insecureRegistries;
    }

    public Map<String, Credentials> credentials() {
        return credentials;
    }

    /** The Docker client config to read registry credentials from; empty disables it. */
    public Optional<Path> dockerConfig() {
        if (dockerConfig != null) {
            return Optional.of(dockerConfig);
        }
        String env = System.getenv("DOCKER_CONFIG");
        Path dir = env != null && !env.isEmpty() ? Path.of(env) : Path.of(System.getProperty("user.home"), ".docker");
        return Optional.of(dir.resolve("config.json"));
    }

    public Platform platform() {
        return platform != null ? platform : Platform.host();
    }

    public int parallelDownloads() {
        return parallelDownloads;
    }

    /** TLS trust for registries; empty means the JDK's default trust store. */
    public Optional<SSLContext> sslContext() {
        return Optional.ofNullable(sslContext);
    }

    /**
     * Whether the engine manages NAT and forwarding for bridge networks, as Docker's {@code --iptables} and
     * {@code --ip-forward} do: outbound masquerade, port publishing, {@code ip_forward}. Without it bridge
     * networks still connect containers with each other and the host, and publishing ports is refused.
     */
    public boolean nat() {
        return nat;
    }

    /**
     * Where the embedded DNS of user-defined networks forwards names that are not containers: empty means the
     * host's {@code /etc/resolv.conf}; an empty list forwards nothing (such names fail, nothing leaves the host).
     */
    public Optional<java.util.List<String>> dnsServers() {
        return Optional.ofNullable(dnsServers);
    }

    /**
     * Whether the engine prepares launch helpers ahead of starts on cgroup v1 hosts: a helper whose placeholder
     * process already sits in a fresh cgroup, so a start skips the kernel's ~10 ms wait on a new process's first
     * {@code cgroup.procs} write. True unless {@link LaunchPreparation#NONE}; see {@link #launchPreparation()}.
     */
    public boolean preparedLaunches() {
        return launchPreparation != LaunchPreparation.NONE;
    }

    /** How the engine prepares launch helpers; default {@link LaunchPreparation#KEEP_READY}. */
    public LaunchPreparation launchPreparation() {
        return launchPreparation;
    }

    /**
     * Launch helpers prepared ahead of starts (cgroup v1 only: on v2 a process is created in its cgroup anyway).
     * Only sandbox containers started without attached streams use them; a start that cannot falls back to an
     * ordinary launch.
     */
    public enum LaunchPreparation {
        /** Every start spawns its own helper and waits for the cgroup attach itself. */
        NONE,
        /**
         * One helper, prepared in the background from the moment the engine opens, none after it: for a process
         * that starts one container right away (a CLI), whose start then finds the helper (nearly) ready. Costs
         * one idle helper process and an empty cgroup until that start, or until the engine closes.
         */
        ONCE,
        /**
         * Two helpers kept ready from the first start on, prepared again after each start that used them: for an
         * engine that starts containers over and over. Costs up to two idle helper processes and empty cgroups
         * while the engine is open.
         */
        KEEP_READY
    }

    public static Path defaultRoot() {
        boolean root = "root".equals(System.getProperty("user.name"));
        if (root) {
            return Path.of("/var/lib/jcontainers");
        }
        String xdg = System.getenv("XDG_DATA_HOME");
        Path base = xdg != null && !xdg.isEmpty() ? Path.of(xdg)
                : Path.of(System.getProperty("user.home"), ".local", "share");
        return base.resolve("jcontainers");
    }

    public static final class Builder {
        private Path root;
        private final Set<String> insecureRegistries = new LinkedHashSet<>();
        private final Map<String, Credentials> credentials = new LinkedHashMap<>();
        private Path dockerConfig;
        private Platform platform;
        private int parallelDownloads = 4;
        private SSLContext sslContext;
        private boolean nat = !"false".equals(System.getProperty(NAT_PROPERTY));
        private java.util.List<String> dnsServers;
        private LaunchPreparation launchPreparation = LaunchPreparation.KEEP_READY;

        public Builder root(Path root) {
            this.root = root;
            return this;
        }

        /** A registry ({@code host[:port]}) reached over plain HTTP. Loopback registries always may be. */
        public Builder insecureRegistry(String hostAndPort) {
            insecureRegistries.add(hostAndPort);
            return this;
        }

        public Builder credentials(String registry, Credentials c) {
            credentials.put(registry, c);
            return this;
        }

        public Builder dockerConfig(Path configJson) {
            this.dockerConfig = configJson;
            return this;
        }

        public Builder platform(Platform platform) {
            this.platform = platform;
            return this;
        }

        public Builder parallelDownloads(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("parallelDownloads must be at least 1");
            }
            this.parallelDownloads = n;
            return this;
        }

        /** Trust for HTTPS registries, e.g. one with a private CA. */
        public Builder sslContext(SSLContext context) {
            this.sslContext = context;
            return this;
        }

        /** See {@link EngineOptions#nat()}; default true unless the system property {@value EngineOptions#NAT_PROPERTY} is false. */
        public Builder nat(boolean manageNat) {
            this.nat = manageNat;
            return this;
        }

        /** Upstream name servers (IP addresses) for the embedded DNS; an empty list forwards nothing. */
        public Builder dnsServers(java.util.List<String> servers) {
            this.dnsServers = servers;
            return this;
        }

        /** {@code true}: {@link LaunchPreparation#KEEP_READY}; {@code false}: {@link LaunchPreparation#NONE}. */
        public Builder preparedLaunches(boolean keepPrepared) {
            return launchPreparation(keepPrepared ? LaunchPreparation.KEEP_READY : LaunchPreparation.NONE);
        }

        /** See {@link EngineOptions#launchPreparation()}. */
        public Builder launchPreparation(LaunchPreparation preparation) {
            this.launchPreparation = Objects.requireNonNull(preparation, "preparation");
            return this;
        }

        public EngineOptions build() {
            return new EngineOptions(this);
        }
    }
}
