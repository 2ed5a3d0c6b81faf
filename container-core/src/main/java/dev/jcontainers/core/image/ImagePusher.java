package dev.jcontainers.core.image;

import dev.jcontainers.api.LayerInfo;
import dev.jcontainers.api.PushListener;
import dev.jcontainers.api.PushResult;
import dev.jcontainers.oci.image.Descriptor;
import dev.jcontainers.oci.image.Digest;
import dev.jcontainers.oci.image.ImageManifest;
import dev.jcontainers.oci.reference.ImageReference;
import dev.jcontainers.oci.registry.BlobPushOutcome;
import dev.jcontainers.oci.registry.RegistryClient;
import dev.jcontainers.oci.store.OciStore;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;

/**
 * One push: config and layers (in parallel; each skipped when the repository has it, mounted when another
 * repository of the same registry is known to have it, else uploaded), then the manifest, byte for byte as
 * stored, so that the pushed image keeps its digest.
 */
final class ImagePusher {
    private final OciStore store;
    private final RegistryClient client;
    private final int parallelism;

    ImagePusher(OciStore store, RegistryClient client, int parallelism) {
        this.store = store;
        this.client = client;
        this.parallelism = parallelism;
    }

    PushResult push(StoredImage image, ImageReference target, List<StoredImage> allImages, PushListener listener) {
        try (OciStore.Lease lease = store.lease()) {
            ImageManifest manifest = image.manifest();
            List<Descriptor> blobs = new ArrayList<>();
            blobs.add(manifest.config());
            blobs.addAll(manifest.layers());
            List<LayerInfo> plan = blobs.stream()
                    .map(b -> new LayerInfo(b.digest(), null, b.mediaType(), b.size())).toList();
            listener.started(target.toString(), image.manifestDigest().toString(), plan);

            Map<Digest, Descriptor> distinct = new LinkedHashMap<>();
            blobs.forEach(b -> distinct.putIfAbsent(b.parsedDigest(), b));
            Map<Digest, Set<String>> sources = mountSources(target, allImages);
            Semaphore permits = new Semaphore(parallelism);
            List<Future<?>> futures = new ArrayList<>();
            try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
                for (Descriptor blob : distinct.values()) {
                    futures.add(pool.submit(() -> {
                        permits.acquire();
                        try {
                            pushBlob(target, blob, sources.getOrDefault(blob.parsedDigest(), Set.of()), listener);
                        } finally {
                            permits.release();
                        }
                        return null;
                    }));
                }
                ImagePuller.awaitAll(futures);
            }
            byte[] bytes = store.read(image.manifestDigest());
            String reference = target.isDigested() ? target.digest() : target.tag();
            Digest pushed = client.putManifest(target.registry(), target.repository(), reference, bytes,
                    image.manifestMediaType());
            return new PushResult(target.toString(), pushed.toString(), bytes.length);
        }
    }

    private void pushBlob(ImageReference target, Descriptor blob, Set<String> mountCandidates,
                          PushListener listener) {
        String id = blob.digest();
        // The registry mounts only from a repository that has the blob; the first candidate is the best guess
        // (the registry says 202 and the upload goes on in the same session when it is wrong).
        String mountFrom = mountCandidates.stream().filter(r -> !r.equals(target.repository())).findFirst()
                .orElse(null);
        BlobPushOutcome outcome = client.pushBlob(target.registry(), target.repository(), blob,
                store.blobPath(blob.parsedDigest()), mountFrom, (done, total, attempt, cause) -> {
                    if (cause != null) {
                        listener.retrying(id, attempt, cause);
                    } else {
                        listener.progress(id, done, total);
                    }
                });
        switch (outcome) {
            case ALREADY_EXISTS -> listener.blobDone(id, blob.size(), PushListener.Outcome.ALREADY_EXISTS, null);
            case MOUNTED -> listener.blobDone(id, blob.size(), PushListener.Outcome.MOUNTED, mountFrom);
            case UPLOADED -> listener.blobDone(id, blob.size(), PushListener.Outcome.PUSHED, null);
        }
    }

    /**
     * For each blob, the repositories of the target's registry that should have it: those of stored images
     * (by name or by the repo digest recorded at pull) that contain it.
     */
    private static Map<Digest, Set<String>> mountSources(ImageReference target, List<StoredImage> images) {
        Map<Digest, Set<String>> sources = new LinkedHashMap<>();
        for (StoredImage img : images) {
            Set<String> repos = new LinkedHashSet<>();
            List<String> names = new ArrayList<>(img.names());
            names.addAll(img.repoDigests());
            for (String name : names) {
                Optional<ImageReference> ref = ImageReference.tryParse(name);
                ref.filter(r -> r.registry().equals(target.registry())).ifPresent(r -> repos.add(r.repository()));
            }
            if (repos.isEmpty()) {
                continue;
            }
            sources.computeIfAbsent(img.manifest().config().parsedDigest(), d -> new LinkedHashSet<>()).addAll(repos);
            for (Descriptor layer : img.manifest().layers()) {
                sources.computeIfAbsent(layer.parsedDigest(), d -> new LinkedHashSet<>()).addAll(repos);
            }
        }
        return sources;
    }
}
