package dev.jcontainers.core.image;

import dev.jcontainers.api.ContainerException;
import dev.jcontainers.api.Credentials;
import dev.jcontainers.api.HistoryEntry;
import dev.jcontainers.api.ImageBuilder;
import dev.jcontainers.api.ImageDetails;
import dev.jcontainers.api.ImageInUseException;
import dev.jcontainers.api.ImageNotFoundException;
import dev.jcontainers.api.ImageRuntimeConfig;
import dev.jcontainers.api.ImageSummary;
import dev.jcontainers.api.Images;
import dev.jcontainers.api.Platform;
import dev.jcontainers.api.PruneResult;
import dev.jcontainers.api.PullOptions;
import dev.jcontainers.api.PushOptions;
import dev.jcontainers.api.PushResult;
import dev.jcontainers.api.StorageException;
import dev.jcontainers.oci.archive.ArchivedImage;
import dev.jcontainers.oci.archive.ImageArchiveReader;
import dev.jcontainers.oci.archive.ImageArchiveWriter;
import dev.jcontainers.oci.image.Descriptor;
import dev.jcontainers.oci.image.Digest;
import dev.jcontainers.oci.image.ImageConfig;
import dev.jcontainers.oci.image.ImageManifest;
import dev.jcontainers.oci.image.ManifestDocument;
import dev.jcontainers.oci.image.OciJson;
import dev.jcontainers.oci.layer.LayerStore;
import dev.jcontainers.oci.reference.ImageReference;
import dev.jcontainers.oci.registry.RegistryClient;
import dev.jcontainers.oci.store.OciStore;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.Predicate;

/** {@link Images} over the local OCI-layout store and the registry client. */
public final class ImageService implements Images, AutoCloseable {
    private final OciStore store;
    private final LayerStore layers;
    private final Supplier<RegistryClient> client;
    private final Function<Credentials, RegistryClient> clientWithCredentials;
    private final int parallelism;
    private final Platform defaultPlatform;
    private final ImageMounts mounts;
    private volatile Predicate<String> inUse = id -> false;

    /**
     * {@code clientWithCredentials} makes a client like {@code client} that uses the given credentials for
     * every registry: how one pull's own credentials override the engine's. {@code client} is asked for only
     * when a registry is needed: running an image already in the store never builds an HTTP client.
     */
    public ImageService(OciStore store, LayerStore layers, Supplier<RegistryClient> client,
                        Function<Credentials, RegistryClient> clientWithCredentials, Platform defaultPlatform,
                        int parallelism) {
        this.store = store;
        this.layers = layers;
        this.client = client;
        this.clientWithCredentials = clientWithCredentials;
        this.parallelism = parallelism;
        this.defaultPlatform = defaultPlatform;
        this.mounts = new ImageMounts(store.root().resolve("mounts"));
    }

    /** Lets the container service protect images that containers were created from (by image ID). */
    public void setInUseCheck(Predicate<String> imageIdInUse) {
        this.inUse = imageIdInUse;
    }

    @Override
    public ImageSummary pull(String reference, PullOptions options) {
        ImageReference ref = ImageReference.parse(reference);
        Platform platform = options.platform() != null ? options.platform() : defaultPlatform;
        Digest manifest;
        if (options.credentials() == null) {
            manifest = new ImagePuller(store, client.get(), parallelism).pull(ref, platform, options.listener());
        } else {
            try (RegistryClient own = clientWithCredentials.apply(options.credentials())) {
                manifest = new ImagePuller(store, own, parallelism).pull(ref, platform, options.listener());
            }
        }
        return summary(load(manifest));
    }

    /**
     * The image a container runs: found locally (by name, ID or ID prefix) or else pulled, as
     * {@code docker run} does; its layers unpacked (once) for overlayfs.
     */
    public RunnableImage prepareForRun(String reference, PullOptions pullOptions) {
        StoredImage img;
        try {
            img = find(reference);
        } catch (ImageNotFoundException notLocal) {
            if (ImageReference.tryParse(reference).isEmpty()) {
                throw notLocal;
            }
            pull(reference, pullOptions);
            img = find(reference);
        }
        List<Path> dirs = layers.ensureUnpacked(img.manifest(), img.config());
        return new RunnableImage(img.id(), reference, img.config(), dirs);
    }

    @Override
    public List<ImageSummary> list() {
        return images().stream()
                .map(ImageService::summary)
                .sorted(Comparator.comparing(ImageSummary::created, Comparator.nullsLast(Comparator.reverseOrder())))
                .toList();
    }

    @Override
    public ImageDetails inspect(String reference) {
        StoredImage img = find(reference);
        ImageConfig.RuntimeConfig rc = img.config().config();
        ImageRuntimeConfig runtime = rc == null ? new ImageRuntimeConfig(null, null, null, null, null, null, null, null, null)
                : new ImageRuntimeConfig(rc.user(), rc.env(), rc.entrypoint(), rc.cmd(), rc.workingDir(),
                rc.exposedPorts() == null ? null : List.copyOf(rc.exposedPorts().keySet()),
                rc.volumes() == null ? null : List.copyOf(rc.volumes().keySet()), rc.labels(), rc.stopSignal());
        return new ImageDetails(img.id(), img.repoTags(), img.repoDigests(), img.manifestDigest().toString(),
                img.manifestMediaType(), img.platform(), img.created(), img.config().author(), img.size(), runtime,
                img.layers());
    }

    @Override
    public List<HistoryEntry> history(String reference) {
        StoredImage img = find(reference);
        List<ImageConfig.History> history = img.config().history();
        List<Descriptor> layers = img.manifest().layers();
        List<HistoryEntry> out = new ArrayList<>();
        if (history == null || history.isEmpty()) {
            for (Descriptor l : layers) {
                out.add(new HistoryEntry(null, "", null, l.size(), false, l.digest()));
            }
        } else {
            int layer = 0;
            for (ImageConfig.History h : history) {
                boolean empty = h.isEmptyLayer() || layer >= layers.size();
                Descriptor d = empty ? null : layers.get(layer++);
                out.add(new HistoryEntry(StoredImage.parseTime(h.created()), h.createdBy() == null ? "" : h.createdBy(),
                        h.comment(), d == null ? 0 : d.size(), empty, d == null ? null : d.digest()));
            }
        }
        return out.reversed();
    }

    @Override
    public void tag(String source, String target) {
        StoredImage img = find(source);
        ImageReference ref = ImageReference.parse(target);
        if (ref.isDigested()) {
            throw new ContainerException("refusing to create a tag with a digest reference: " + target);
        }
        String name = ref.toString();
        Descriptor base = img.entries().getFirst();
        Map<String, String> annotations = new LinkedHashMap<>();
        annotations.put(Descriptor.ANNOTATION_REF_NAME, name);
        store.tag(name, base.withAnnotations(annotations));
    }

    @Override
    public List<String> remove(String reference, boolean force) {
        Optional<String> name = nameFor(reference).filter(n -> store.resolve(n).isPresent());
        List<String> lines = new ArrayList<>();
        StoredImage img = find(reference);
        if (!force && inUse.test(img.id())) {
            throw new ImageInUseException("conflict: unable to remove image " + shortId(img.id())
                    + ": it is used by a container (use force to remove it anyway)");
        }
        boolean lastName = name.isEmpty() || img.names().size() <= 1;
        if (lastName && mounts.isMounted(img.id())) {
            if (!force) {
                throw new ImageInUseException("conflict: unable to remove image " + shortId(img.id())
                        + ": it is mounted at " + mounts.pathOf(img.id()) + " (unmount it, or use force)");
            }
            mounts.unmount(img.id());
        }
        if (name.isPresent() && img.names().size() > 1) {
            store.untag(name.get());
            lines.add("Untagged: " + familiar(name.get()));
            return lines;
        }
        if (name.isEmpty() && img.names().size() > 1 && !force) {
            throw new ImageInUseException("conflict: unable to delete " + shortId(img.id())
                    + " (must be forced) - image is referenced in multiple repositories");
        }
        for (String n : img.names()) {
            lines.add("Untagged: " + familiar(n));
        }
        store.removeImage(img.manifestDigest());
        Set<Digest> blobs = new LinkedHashSet<>();
        blobs.add(img.manifestDigest());
        blobs.add(Digest.parse(img.id()));
        img.manifest().layers().forEach(l -> blobs.add(l.parsedDigest()));
        OciStore.GcResult gc = store.collect(blobs);
        retainLayersOfStoredImages();
        lines.add("Deleted: " + img.id());
        for (Digest d : gc.removed()) {
            if (!d.toString().equals(img.id())) {
                lines.add("Deleted: " + d);
            }
        }
        return lines;
    }

    @Override
    public PruneResult prune() {
        List<String> removedImages = new ArrayList<>();
        for (StoredImage img : images()) {
            if (img.dangling() && !inUse.test(img.id()) && !mounts.isMounted(img.id())) {
                store.removeImage(img.manifestDigest());
                removedImages.add(img.id());
            }
        }
        OciStore.GcResult gc = store.gc();
        retainLayersOfStoredImages();
        return new PruneResult(removedImages, gc.removed().stream().map(Digest::toString).toList(), gc.reclaimedBytes());
    }

    @Override
    public ImageBuilder buildFrom(String baseReference) {
        return StoreImageBuilder.fromImage(store, this::summaryOf, find(baseReference));
    }

    @Override
    public ImageBuilder buildFromScratch() {
        return StoreImageBuilder.fromScratch(store, this::summaryOf, defaultPlatform);
    }

    @Override
    public Path mount(String reference) {
        StoredImage img = find(reference);
        return mounts.mount(img.id(), layers.ensureUnpacked(img.manifest(), img.config()));
    }

    @Override
    public void unmount(String reference) {
        mounts.unmount(find(reference).id());
    }

    private ImageSummary summaryOf(String reference) {
        return summary(find(reference));
    }

    /** Unpacked layers no stored image needs any more are deleted. */
    private void retainLayersOfStoredImages() {
        Set<Digest> keep = new LinkedHashSet<>();
        for (StoredImage img : images()) {
            keep.addAll(LayerStore.chainIds(img.config().rootfs().diffIds()));
        }
        layers.retainOnly(keep);
    }

    @Override
    public PushResult push(String localReference, String targetReference, PushOptions options) {
        StoredImage img = find(localReference);
        ImageReference target = ImageReference.parse(targetReference);
        return new ImagePusher(store, client.get(), parallelism).push(img, target, images(), options.listener());
    }

    @Override
    public void save(List<String> references, OutputStream out) {
        List<ArchivedImage> images = new ArrayList<>();
        for (String reference : references) {
            StoredImage img = find(reference);
            Optional<String> name = nameFor(reference).filter(n -> store.resolve(n).isPresent());
            // Named by a tag: save that tag (as docker save does); by ID: every tag of the image.
            List<String> names = name.map(List::of).orElseGet(img::repoTags);
            Descriptor entry = img.entries().getFirst();
            images.add(new ArchivedImage(new Descriptor(entry.mediaType(), entry.digest(), entry.size(), null, null,
                    entry.platform(), null), names));
        }
        try (OciStore.Lease lease = store.lease()) {
            ImageArchiveWriter.write(store, images, out);
        } catch (IOException e) {
            throw new StorageException("cannot write image archive: " + e.getMessage(), e);
        }
    }

    @Override
    public void save(List<String> references, Path file) {
        Path target = file.toAbsolutePath();
        Path tmp = null;
        try {
            tmp = Files.createTempFile(target.getParent(), "." + target.getFileName(), ".tmp");
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp))) {
                save(references, out);
            }
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            tmp = null;
        } catch (IOException e) {
            throw new StorageException("cannot write " + target + ": " + e.getMessage(), e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // best effort: a stray temp file is named after the target
                }
            }
        }
    }

    @Override
    public List<String> load(Path archive) {
        if (!Files.exists(archive)) {
            throw new ContainerException("no such file or directory: " + archive);
        }
        List<ArchivedImage> loaded = ImageArchiveReader.load(store, archive, defaultPlatform,
                Path.of(System.getProperty("java.io.tmpdir")));
        List<String> result = new ArrayList<>();
        for (ArchivedImage image : loaded) {
            Descriptor manifest = image.manifest();
            for (String name : image.names()) {
                Map<String, String> annotations = new LinkedHashMap<>();
                annotations.put(Descriptor.ANNOTATION_REF_NAME, name);
                store.tag(name, manifest.withAnnotations(annotations));
                result.add(name);
            }
            if (image.names().isEmpty()) {
                // An unnamed image stays as Docker keeps it, <none>:<none> (a dangling entry): the store makes one
                // when the only name of an image is removed.
                String placeholder = "jcontainers-load/" + manifest.parsedDigest().hex();
                store.tag(placeholder, manifest.withAnnotations(Map.of()));
                store.untag(placeholder);
                ManifestDocument doc = OciJson.parseManifest(store.read(manifest.parsedDigest()), manifest.mediaType());
                result.add(((ImageManifest) doc).config().digest());
            }
        }
        return result;
    }

    /** The stored image named by a reference, an image ID, or a unique ID prefix. */
    StoredImage find(String reference) {
        Optional<String> name = nameFor(reference);
        if (name.isPresent()) {
            Optional<Descriptor> d = store.resolve(name.get());
            if (d.isPresent()) {
                return load(d.get().parsedDigest());
            }
        }
        String wanted = reference.startsWith("sha256:") ? reference : "sha256:" + reference;
        if (reference.matches("(sha256:)?[a-f0-9]{1,64}")) {
            List<StoredImage> matches = images().stream()
                    .filter(i -> i.id().startsWith(wanted) || i.manifestDigest().toString().startsWith(wanted))
                    .toList();
            Set<String> ids = new LinkedHashSet<>();
            matches.forEach(m -> ids.add(m.id()));
            if (ids.size() == 1) {
                return matches.getFirst();
            }
            if (ids.size() > 1) {
                throw new ContainerException("ambiguous image ID prefix " + reference + ": matches " + ids);
            }
        }
        throw new ImageNotFoundException("No such image: " + reference);
    }

    private static Optional<String> nameFor(String reference) {
        return ImageReference.tryParse(reference).map(ImageReference::toString);
    }

    private List<StoredImage> images() {
        Map<String, List<Descriptor>> byManifest = new LinkedHashMap<>();
        for (Descriptor d : store.entries()) {
            byManifest.computeIfAbsent(d.digest(), k -> new ArrayList<>()).add(d);
        }
        List<StoredImage> out = new ArrayList<>();
        for (Map.Entry<String, List<Descriptor>> e : byManifest.entrySet()) {
            Descriptor first = e.getValue().getFirst();
            if (!dev.jcontainers.oci.image.MediaTypes.isManifest(first.mediaType())) {
                continue; // an index stored by another tool; not an image we run
            }
            out.add(load(first.parsedDigest(), e.getValue()));
        }
        return out;
    }

    private StoredImage load(Digest manifestDigest) {
        List<Descriptor> entries = store.entries().stream()
                .filter(d -> d.digest().equals(manifestDigest.toString())).toList();
        if (entries.isEmpty()) {
            throw new ImageNotFoundException("No such image: " + manifestDigest);
        }
        return load(manifestDigest, entries);
    }

    private StoredImage load(Digest manifestDigest, List<Descriptor> entries) {
        ManifestDocument doc = OciJson.parseManifest(store.read(manifestDigest), entries.getFirst().mediaType());
        if (!(doc instanceof ImageManifest manifest)) {
            throw new ImageNotFoundException("No such image: " + manifestDigest + " is an index");
        }
        ImageConfig config = OciJson.parseConfig(store.read(manifest.config().parsedDigest()));
        return new StoredImage(manifestDigest, manifest.mediaType(), manifest, config, entries);
    }

    private static ImageSummary summary(StoredImage img) {
        return new ImageSummary(img.id(), img.repoTags(), img.repoDigests(), img.manifestDigest().toString(),
                img.created(), img.size(), img.platform());
    }

    private static String familiar(String name) {
        return ImageReference.tryParse(name).map(ImageReference::familiar).orElse(name);
    }

    private static String shortId(String id) {
        String hex = id.substring(id.indexOf(':') + 1);
        return hex.substring(0, Math.min(12, hex.length()));
    }

    @Override
    public void close() {
    }
}
