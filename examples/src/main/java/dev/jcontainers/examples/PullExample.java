package dev.jcontainers.examples;

import dev.jcontainers.api.Containers;
import dev.jcontainers.api.Engine;
import dev.jcontainers.api.EngineOptions;
import dev.jcontainers.api.HistoryEntry;
import dev.jcontainers.api.ImageDetails;
import dev.jcontainers.api.ImageSummary;
import dev.jcontainers.api.PullListener;
import dev.jcontainers.api.PullOptions;
import dev.jcontainers.testkit.FixtureImage;
import dev.jcontainers.testkit.RegistryServer;
import dev.jcontainers.testkit.Skopeo;
import dev.jcontainers.testkit.TestImages;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The README's main job, offline: start a local Distribution registry, push a busybox image to it with
 * skopeo, then pull, list, inspect, tag and inspect history through the public API.
 */
public final class PullExample {
    private PullExample() {
    }

    public static void main(String[] args) throws IOException {
        Path work = Files.createTempDirectory("jcontainers-example");
        try (RegistryServer registry = RegistryServer.plain()) {
            FixtureImage image = new TestImages(work.resolve("fixtures")).multiLayer("busybox", 3);
            Skopeo.push(image, registry, "library/busybox:1.36");
            String ref = registry.host() + "/library/busybox:1.36";
            System.out.println("registry on " + registry.host() + ", image pushed with skopeo as " + ref);

            EngineOptions options = EngineOptions.builder().root(work.resolve("root")).build();
            try (Engine engine = Containers.engine(options)) {
                ImageSummary pulled = engine.images().pull(ref, PullOptions.defaults().withListener(new PullListener() {
                    @Override
                    public void blobDone(String digest, long size, boolean alreadyPresent) {
                        System.out.printf("  %s: %s (%d bytes)%n", digest.substring(7, 19),
                                alreadyPresent ? "Already exists" : "Pull complete", size);
                    }
                }));
                System.out.println("pulled " + pulled.repoTags() + " id " + pulled.shortId());

                engine.images().tag(ref, "example/busybox:latest");
                for (ImageSummary s : engine.images().list()) {
                    System.out.println("image " + s.shortId() + " " + s.repoTags() + " " + s.size() + " bytes");
                }
                ImageDetails d = engine.images().inspect("example/busybox");
                System.out.println("platform " + d.platform() + ", " + d.layers().size() + " layers, cmd "
                        + d.config().cmd());
                for (HistoryEntry h : engine.images().history("example/busybox")) {
                    System.out.println("history: " + (h.emptyLayer() ? "(empty) " : "") + h.createdBy());
                }
                System.out.println("store (an OCI image layout) at " + engine.root());
            }
        } finally {
            try (Stream<Path> files = Files.walk(work)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
