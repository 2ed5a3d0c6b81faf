package dev.jcontainers.core.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.jcontainers.api.ContainerException;
import dev.jcontainers.api.HealthCheck;
import dev.jcontainers.api.ImageBuilder;
import dev.jcontainers.api.ImageSummary;
import dev.jcontainers.api.Platform;
import dev.jcontainers.api.StorageException;
import dev.jcontainers.oci.image.Descriptor;
import dev.jcontainers.oci.image.Digest;
import dev.jcontainers.oci.image.ImageManifest;
import dev.jcontainers.oci.image.MediaTypes;
import dev.jcontainers.oci.image.OciJson;
import dev.jcontainers.oci.layer.LayerCompression;
import dev.jcontainers.oci.layer.LayerPacker;
import dev.jcontainers.oci.layer.PackOptions;
import dev.jcontainers.oci.layer.PackResult;
import dev.jcontainers.oci.reference.ImageReference;
import dev.jcontainers.oci.store.BlobWriter;
import dev.jcontainers.oci.store.OciStore;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * {@link ImageBuilder} over the local store. The base config is edited as a JSON tree, not through
 * {@code ImageConfig}, so fields this code does not model (Docker's {@code container_config}, vendor keys)
 * survive. Layers are packed straight into the store (digest unknown until the end) as gzip; base layers
 * are reused as they are, Docker's gzip media type relabelled as OCI's, which names the same bytes.
 */
final class StoreImageBuilder implements ImageBuilder {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private final OciStore store;
    private final Function<String, ImageSummary> summaryOfName;
    private final ObjectNode config;
    private final List<Descriptor> layers;
    private final List<Path> newLayers = new ArrayList<>();
    private final List<Consumer<ObjectNode>> configEdits = new ArrayList<>();
    private final List<String> tags = new ArrayList<>();
    private boolean cmdSet;
    private boolean entrypointSet;
    private String createdBy;
    private Instant created;

    private StoreImageBuilder(OciStore store, Function<String, ImageSummary> summaryOfName, ObjectNode config,
                              List<Descriptor> layers) {
        this.store = store;
        this.summaryOfName = summaryOfName;
        this.config = config;
        this.layers = new ArrayList<>(layers);
    }

    static StoreImageBuilder fromImage(OciStore store, Function<String, ImageSummary> summaryOfName,
                                       StoredImage base) {
        JsonNode tree;
        try {
            tree = OciJson.mapper().readTree(store.read(base.manifest().config().parsedDigest()));
        } catch (IOException e) {
            throw new StorageException("cannot read the config of " + base.id() + ": " + e.getMessage(), e);
        }
        List<Descriptor> layers = base.manifest().layers().stream().map(StoreImageBuilder::asOciLayer).toList();
        return new StoreImageBuilder(store, summaryOfName, (ObjectNode) tree.deepCopy(), layers);
    }

    static StoreImageBuilder fromScratch(OciStore store, Function<String, ImageSummary> summaryOfName,
                                         Platform platform) {
        ObjectNode config = JSON.objectNode();
        config.put("architecture", platform.architecture());
        config.put("os", platform.os());
        if (platform.variant() != null) {
            config.put("variant", platform.variant());
        }
        config.putObject("config");
        config.putObject("rootfs").put("type", "layers").putArray("diff_ids");
        return new StoreImageBuilder(store, summaryOfName, config, List.of());
    }

    private static Descriptor asOciLayer(Descriptor layer) {
        return switch (layer.mediaType()) {
            case MediaTypes.DOCKER_LAYER_GZIP -> new Descriptor(MediaTypes.OCI_LAYER_GZIP, layer.digest(), layer.size(),
                    layer.urls(), layer.annotations(), null, null);
            case MediaTypes.DOCKER_FOREIGN_LAYER -> new Descriptor(MediaTypes.OCI_LAYER_NONDIST_GZIP, layer.digest(),
                    layer.size(), layer.urls(), layer.annotations(), null, null);
            default -> layer;
        };
    }

    @Override
    public ImageBuilder addLayer(Path directory) {
        if (!Files.isDirectory(directory)) {
            throw new ContainerException("not a directory: " + directory);
        }
        newLayers.add(directory);
        return this;
    }

    @Override
    public ImageBuilder env(String name, String value) {
        if (name.isEmpty() || name.contains("=")) {
            throw new IllegalArgumentException("bad environment variable name: " + name);
        }
        Objects.requireNonNull(value, "value");
        configEdits.add(c -> {
            ArrayNode env = array(c, "Env");
            for (int i = 0; i < env.size(); i++) {
                if (env.get(i).asText().startsWith(name + "=") || env.get(i).asText().equals(name)) {
                    env.set(i, JSON.textNode(name + "=" + value));
                    return;
                }
            }
            env.add(name + "=" + value);
        });
        return this;
    }

    @Override
    public ImageBuilder cmd(List<String> command) {
        List<String> copy = List.copyOf(command);
        cmdSet = true;
        configEdits.add(c -> strings(c.putArray("Cmd"), copy));
        return this;
    }

    @Override
    public ImageBuilder entrypoint(List<String> entrypoint) {
        List<String> copy = List.copyOf(entrypoint);
        entrypointSet = true;
        configEdits.add(c -> strings(c.putArray("Entrypoint"), copy));
        return this;
    }

    @Override
    public ImageBuilder workingDir(String directory) {
        configEdits.add(c -> c.put("WorkingDir", Objects.requireNonNull(directory, "directory")));
        return this;
    }

    @Override
    public ImageBuilder user(String user) {
        configEdits.add(c -> c.put("User", Objects.requireNonNull(user, "user")));
        return this;
    }

    @Override
    public ImageBuilder label(String name, String value) {
        Objects.requireNonNull(value, "value");
        configEdits.add(c -> object(c, "Labels").put(name, value));
        return this;
    }

    @Override
    public ImageBuilder exposePort(String port) {
        String normalized = port.contains("/") ? port : port + "/tcp";
        if (!normalized.matches("\\d{1,5}/(tcp|udp|sctp)")) {
            throw new IllegalArgumentException("port must look like 8080 or 53/udp: " + port);
        }
        configEdits.add(c -> object(c, "ExposedPorts").putObject(normalized));
        return this;
    }

    @Override
    public ImageBuilder volume(String containerPath) {
        if (!containerPath.startsWith("/")) {
            throw new IllegalArgumentException("a volume path must be absolute: " + containerPath);
        }
        configEdits.add(c -> object(c, "Volumes").putObject(containerPath));
        return this;
    }

    @Override
    public ImageBuilder healthCheck(HealthCheck check) {
        if (check.test() == null) {
            throw new IllegalArgumentException("an image's health check needs a test (or NONE)");
        }
        configEdits.add(c -> {
            ObjectNode h = c.putObject("Healthcheck");
            strings(h.putArray("Test"), check.test());
            if (check.interval() != null) {
                h.put("Interval", check.interval().toNanos());
            }
            if (check.timeout() != null) {
                h.put("Timeout", check.timeout().toNanos());
            }
            if (check.startPeriod() != null) {
                h.put("StartPeriod", check.startPeriod().toNanos());
            }
            if (check.retries() != null) {
                h.put("Retries", check.retries());
            }
        });
        return this;
    }

    @Override
    public ImageBuilder createdBy(String description) {
        this.createdBy = description;
        return this;
    }

    @Override
    public ImageBuilder created(Instant created) {
        this.created = created;
        return this;
    }

    @Override
    public ImageBuilder tag(String name) {
        ImageReference ref = ImageReference.parse(name);
        if (ref.isDigested()) {
            throw new ContainerException("refusing to create a tag with a digest reference: " + name);
        }
        tags.add(ref.toString());
        return this;
    }

    @Override
    public ImageSummary build() {
        if (tags.isEmpty()) {
            throw new IllegalStateException("give the image a name with tag(...)");
        }
        String time = DateTimeFormatter.ISO_INSTANT.format(created != null ? created : Instant.now());
        ObjectNode runtime = config.has("config") && config.get("config").isObject()
                ? (ObjectNode) config.get("config") : config.putObject("config");
        if (entrypointSet && !cmdSet) {
            runtime.remove("Cmd"); // ENTRYPOINT resets an inherited CMD
        }
        configEdits.forEach(edit -> edit.accept(runtime));

        ArrayNode diffIds = array(object(config, "rootfs"), "diff_ids");
        object(config, "rootfs").put("type", "layers");
        ArrayNode history = array(config, "history");
        for (Path dir : newLayers) {
            PackResult packed = packIntoStore(dir);
            layers.add(Descriptor.of(packed.mediaType(), packed.digest(), packed.compressedSize()));
            diffIds.add(packed.diffId().toString());
            historyEntry(history, time, createdBy != null ? createdBy : "jc image build: add layer from " + dir, false);
        }
        if (newLayers.isEmpty()) {
            historyEntry(history, time, createdBy != null ? createdBy : "jc image build: config", true);
        }
        config.put("created", time);

        byte[] configBytes = OciJson.write(config);
        Digest configDigest = store.put(configBytes, null);
        ImageManifest manifest = new ImageManifest(2, MediaTypes.OCI_MANIFEST, null,
                Descriptor.of(MediaTypes.OCI_CONFIG, configDigest, configBytes.length), List.copyOf(layers), null, null);
        byte[] manifestBytes = OciJson.write(manifest);
        Digest manifestDigest = store.put(manifestBytes, null);
        Descriptor entry = Descriptor.of(MediaTypes.OCI_MANIFEST, manifestDigest, manifestBytes.length);
        for (String tag : tags) {
            Map<String, String> annotations = new LinkedHashMap<>();
            annotations.put(Descriptor.ANNOTATION_REF_NAME, tag);
            store.tag(tag, entry.withAnnotations(annotations));
        }
        return summaryOfName.apply(tags.getFirst());
    }

    private PackResult packIntoStore(Path dir) {
        try (BlobWriter writer = store.newBlobWriter(null, -1)) {
            PackResult packed = new LayerPacker(PackOptions.of(LayerCompression.GZIP))
                    .pack(dir, new BlobOutputStream(writer));
            Digest stored = writer.commit();
            if (!stored.equals(packed.digest())) {
                throw new StorageException("layer from " + dir + " was stored as " + stored + " but packed as "
                        + packed.digest());
            }
            return packed;
        } catch (IOException e) {
            throw new StorageException("cannot store the layer packed from " + dir + ": " + e.getMessage(), e);
        }
    }

    private static void historyEntry(ArrayNode history, String time, String createdBy, boolean empty) {
        ObjectNode entry = history.addObject();
        entry.put("created", time);
        entry.put("created_by", createdBy);
        if (empty) {
            entry.put("empty_layer", true);
        }
    }

    private static ObjectNode object(ObjectNode parent, String field) {
        JsonNode node = parent.get(field);
        return node != null && node.isObject() ? (ObjectNode) node : parent.putObject(field);
    }

    private static ArrayNode array(ObjectNode parent, String field) {
        JsonNode node = parent.get(field);
        return node != null && node.isArray() ? (ArrayNode) node : parent.putArray(field);
    }

    private static void strings(ArrayNode array, List<String> values) {
        values.forEach(array::add);
    }
}
