package dev.jcontainers.core;

import dev.jcontainers.api.Engine;
import dev.jcontainers.api.EngineOptions;
import dev.jcontainers.api.Images;
import dev.jcontainers.core.container.ContainerService;
import dev.jcontainers.core.container.LaunchAhead;
import dev.jcontainers.core.image.ImageService;
import dev.jcontainers.core.network.NetworkService;
import dev.jcontainers.core.volume.VolumeService;
import dev.jcontainers.oci.layer.LayerStore;
import dev.jcontainers.oci.layer.UnpackOptions;
import dev.jcontainers.oci.registry.RegistryClient;
import dev.jcontainers.oci.store.OciStore;

import java.nio.file.Path;
import java.util.Optional;

/** The engine over one root directory: the store at the root, everything else beside it. */
public final class LocalEngine implements Engine {
    private final Path root;
    private final OciStore store;
    private final EngineOptions options;
    private RegistryClient registry; // built on first use: an HttpClient and its TLS setup cost a cold CLI ~0.1 s
    private final LayerStore layers;
    private final ImageService images;
    private ContainerService containers;
    private NetworkService networks;
    private VolumeService volumes;
    private final LaunchAhead launchAhead; // LaunchPreparation.ONCE, else null

    public LocalEngine(EngineOptions options) {
        this.options = options;
        this.root = options.root().toAbsolutePath();
        // first: it waits on the kernel (cgroup attach) while this engine opens and its caller creates
        this.launchAhead = options.launchPreparation() == EngineOptions.LaunchPreparation.ONCE
                ? LaunchAhead.begin(root) : null;
        try {
            this.store = OciStore.open(root);
            this.layers = LayerStore.open(root.resolve("layers"), store, UnpackOptions.defaults());
            this.images = new ImageService(store, layers, this::registry,
                    credentials -> clientBuilder(options).credentials(registry -> Optional.of(credentials)).build(),
                    options.platform(), options.parallelDownloads());
        } catch (RuntimeException | Error e) {
            if (launchAhead != null) {
                launchAhead.close();
            }
            throw e;
        }
    }

    private static RegistryClient.Builder clientBuilder(EngineOptions options) {
        RegistryClient.Builder client = RegistryClient.builder().insecureRegistries(options.insecureRegistries());
        options.dockerConfig().ifPresent(client::dockerConfig);
        options.sslContext().ifPresent(client::sslContext);
        return client;
    }

    private synchronized RegistryClient registry() {
        if (registry == null) {
            registry = clientBuilder(options)
                    .credentials(r -> Optional.ofNullable(options.credentials().get(r)))
                    .build();
        }
        return registry;
    }

    public ImageService imageService() {
        return images;
    }

    public LayerStore layers() {
        return layers;
    }

    @Override
    public Images images() {
        return images;
    }

    @Override
    public synchronized ContainerService containers() {
        if (containers == null) {
            containers = new ContainerService(root, images, networks(), volumes(), options.launchPreparation(),
                    launchAhead);
        }
        return containers;
    }

    @Override
    public synchronized NetworkService networks() {
        if (networks == null) {
            networks = options.dnsServers().map(servers -> new NetworkService(root, options.nat(), servers))
                    .orElseGet(() -> new NetworkService(root, options.nat()));
        }
        return networks;
    }

    @Override
    public synchronized VolumeService volumes() {
        if (volumes == null) {
            volumes = new VolumeService(root);
        }
        return volumes;
    }

    @Override
    public Path root() {
        return root;
    }

    public OciStore store() {
        return store;
    }

    @Override
    public void close() {
        synchronized (this) {
            if (containers != null) {
                containers.close();
            }
            if (launchAhead != null) {
                launchAhead.close(); // the containers' side never opened, or it has ended it already
            }
            if (networks != null) {
                networks.close();
            }
        }
        images.close();
        synchronized (this) {
            if (registry != null) {
                registry.close();
            }
        }
        store.close();
    }
}
