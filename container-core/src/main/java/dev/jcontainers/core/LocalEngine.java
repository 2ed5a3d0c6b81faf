package dev.jcontainers.core;

import dev.jcontainers.api.Engine;
import dev.jcontainers.api.EngineOptions;
import dev.jcontainers.api.Images;
import dev.jcontainers.core.image.ImageService;
import dev.jcontainers.oci.registry.RegistryClient;
import dev.jcontainers.oci.store.OciStore;

import java.nio.file.Path;
import java.util.Optional;

/** The engine over one root directory: the store at the root, everything else beside it. */
public final class LocalEngine implements Engine {
    private final Path root;
    private final OciStore store;
    private final RegistryClient registry;
    private final ImageService images;

    public LocalEngine(EngineOptions options) {
        this.root = options.root().toAbsolutePath();
        this.store = OciStore.open(root);
        RegistryClient.Builder client = RegistryClient.builder()
                .insecureRegistries(options.insecureRegistries())
                .credentials(registry -> Optional.ofNullable(options.credentials().get(registry)));
        options.dockerConfig().ifPresent(client::dockerConfig);
        options.sslContext().ifPresent(client::sslContext);
        this.registry = client.build();
        this.images = new ImageService(store, registry, options.platform(), options.parallelDownloads());
    }

    @Override
    public Images images() {
        return images;
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
        images.close();
        registry.close();
        store.close();
    }
}
