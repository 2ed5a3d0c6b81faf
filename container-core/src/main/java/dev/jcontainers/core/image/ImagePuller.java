package dev.jcontainers.core.image;

import dev.jcontainers.api.ContainerException;
import dev.jcontainers.api.LayerInfo;
import dev.jcontainers.api.MalformedContentException;
import dev.jcontainers.api.Platform;
import dev.jcontainers.api.PullListener;
import dev.jcontainers.api.StorageException;
import dev.jcontainers.api.UnsupportedMediaTypeException;
import dev.jcontainers.oci.image.Descriptor;
import dev.jcontainers.oci.image.DescriptorPlatform;
import dev.jcontainers.oci.image.Digest;
import dev.jcontainers.oci.image.ImageConfig;
import dev.jcontainers.oci.image.ImageIndex;
import dev.jcontainers.oci.image.ImageManifest;
import dev.jcontainers.oci.image.MediaTypes;
import dev.jcontainers.oci.image.OciJson;
import dev.jcontainers.oci.reference.ImageReference;
import dev.jcontainers.oci.registry.RegistryClient;
import dev.jcontainers.oci.registry.RegistryClient.ManifestResponse;
import dev.jcontainers.oci.store.BlobWriter;
import dev.jcontainers.oci.store.OciStore;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;

/**
 * One pull: resolve the reference to a platform manifest, fetch config and layers (layers in parallel,
 * each streamed to disk while hashed), then store the manifest and point the name at it. If anything
 * fails, the blobs this pull wrote and nothing else needs are removed again, so the store is as before.
 */
final class ImagePuller {
    private final OciStore store;
    private final RegistryClient client;
    private final int parallelism;

    ImagePuller(OciStore store, RegistryClient client, int parallelism) {
        this.store = store;
        this.client = client;
        this.parallelism = parallelism;
    }

    /** Returns the manifest digest of the pulled image. */
    Digest pull(ImageReference ref, Platform platform, PullListener listener) {
        Set<Digest> written = ConcurrentHashMap.newKeySet();
        try (OciStore.Lease lease = store.lease()) {
            return pullLeased(ref, platform, listener, written);
        } catch (RuntimeException | Error e) {
            if (!written.isEmpty()) {
                try {
                    store.collect(written);
                } catch (RuntimeException cleanup) {
                    e.addSuppressed(cleanup);
                }
            }
            throw e;
        }
    }

    private Digest pullLeased(ImageReference ref, Platform platform, PullListener listener, Set<Digest> written) {
        String registry = ref.registry();
        String repo = ref.repository();
        ManifestResponse top = client.getManifest(registry, repo, ref.reference());
        ManifestResponse chosen = top;
        if (top.document() instanceof ImageIndex index) {
            Descriptor platformManifest = RegistryClient.selectPlatform(index, platform);
            chosen = client.getManifest(registry, repo, platformManifest.digest());
        }
        if (!(chosen.document() instanceof ImageManifest manifest)) {
            throw new MalformedContentException("index " + chosen.digest() + " points to another index, not a manifest");
        }
        checkMediaTypes(manifest);

        List<LayerInfo> plan = new ArrayList<>();
        plan.add(new LayerInfo(manifest.config().digest(), null, manifest.config().mediaType(), manifest.config().size()));
        for (Descriptor l : manifest.layers()) {
            plan.add(new LayerInfo(l.digest(), null, l.mediaType(), l.size()));
        }
        listener.resolved(ref.toString(), chosen.digest().toString(), plan);

        Digest configDigest = manifest.config().parsedDigest();
        if (store.has(configDigest)) {
            listener.blobDone(configDigest.toString(), manifest.config().size(), true);
        } else {
            byte[] config = client.getBlob(registry, repo, manifest.config());
            store.put(config, configDigest);
            written.add(configDigest);
            listener.blobDone(configDigest.toString(), config.length, false);
        }
        ImageConfig config = OciJson.parseConfig(store.read(configDigest));
        if (config.rootfs().diffIds().size() != manifest.layers().size()) {
            throw new MalformedContentException("image config lists " + config.rootfs().diffIds().size()
                    + " diff_ids but the manifest has " + manifest.layers().size() + " layers");
        }

        fetchLayers(registry, repo, manifest.layers(), listener, written);

        if (!store.has(chosen.digest())) {
            store.put(chosen.bytes(), chosen.digest());
            written.add(chosen.digest());
        }
        Map<String, String> annotations = new LinkedHashMap<>();
        String name = ref.tag() != null ? ref.withDigest((String) null).toString() : ref.toString();
        annotations.put(Descriptor.ANNOTATION_REF_NAME, name);
        annotations.put(StoredImage.REPO_DIGEST_ANNOTATION, ref.name() + "@" + top.digest());
        Platform imagePlatform = new Platform(nullToEmpty(config.os()), nullToEmpty(config.architecture()),
                config.variant());
        Descriptor entry = new Descriptor(chosen.mediaType(), chosen.digest().toString(), chosen.bytes().length,
                null, annotations, DescriptorPlatform.of(imagePlatform), null);
        store.tag(name, entry);
        return chosen.digest();
    }

    private void fetchLayers(String registry, String repo, List<Descriptor> layers, PullListener listener,
                             Set<Digest> written) {
        Map<Digest, Descriptor> distinct = new LinkedHashMap<>();
        for (Descriptor l : layers) {
            distinct.putIfAbsent(l.parsedDigest(), l);
        }
        Semaphore permits = new Semaphore(parallelism);
        List<Future<?>> futures = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (Map.Entry<Digest, Descriptor> e : distinct.entrySet()) {
                futures.add(pool.submit(() -> {
                    permits.acquire();
                    try {
                        fetchLayer(registry, repo, e.getKey(), e.getValue(), listener, written);
                    } finally {
                        permits.release();
                    }
                    return null;
                }));
            }
            awaitAll(futures);
        }
    }

    private void fetchLayer(String registry, String repo, Digest digest, Descriptor layer, PullListener listener,
                            Set<Digest> written) {
        if (store.has(digest)) {
            listener.blobDone(digest.toString(), layer.size(), true);
            return;
        }
        String id = digest.toString();
        try (BlobWriter writer = store.newBlobWriter(digest, layer.size())) {
            client.fetchBlob(registry, repo, layer, writer, (done, total, attempt, cause) -> {
                if (cause != null) {
                    listener.retrying(id, attempt, cause);
                }
                listener.progress(id, done, total);
            });
            writer.commit();
            written.add(digest);
        } catch (IOException e) {
            throw new StorageException("cannot store layer " + id + ": " + e.getMessage(), e);
        }
        listener.blobDone(id, layer.size(), false);
    }

    /** Waits for every transfer; on the first failure cancels the rest and rethrows that failure. */
    static void awaitAll(List<Future<?>> futures) {
        RuntimeException failure = null;
        for (Future<?> f : futures) {
            try {
                if (failure == null) {
                    f.get();
                } else {
                    f.cancel(true);
                }
            } catch (ExecutionException e) {
                failure = unwrap(e.getCause());
                futures.forEach(other -> other.cancel(true));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                futures.forEach(other -> other.cancel(true));
                failure = new ContainerException("interrupted", e);
            } catch (java.util.concurrent.CancellationException ignored) {
                // cancelled after an earlier failure
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    private static RuntimeException unwrap(Throwable t) {
        if (t instanceof RuntimeException r) {
            return r;
        }
        if (t instanceof IOException io) {
            return new UncheckedIOException(io);
        }
        if (t instanceof Error err) {
            throw err;
        }
        return new ContainerException("layer transfer failed: " + t, t);
    }

    private static void checkMediaTypes(ImageManifest manifest) {
        if (!MediaTypes.CONFIGS.contains(manifest.config().mediaType())) {
            throw new UnsupportedMediaTypeException(manifest.config().mediaType(), "image config");
        }
        for (Descriptor l : manifest.layers()) {
            if (!MediaTypes.LAYERS.contains(l.mediaType())) {
                throw new UnsupportedMediaTypeException(l.mediaType(), "layer " + l.digest());
            }
        }
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
