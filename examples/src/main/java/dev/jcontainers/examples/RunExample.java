package dev.jcontainers.examples;

import dev.jcontainers.api.Container;
import dev.jcontainers.api.ContainerLogs;
import dev.jcontainers.api.Containers;
import dev.jcontainers.api.DataSize;
import dev.jcontainers.api.Engine;
import dev.jcontainers.api.EngineOptions;
import dev.jcontainers.api.ImageSummary;
import dev.jcontainers.testkit.FixtureImage;
import dev.jcontainers.testkit.RegistryServer;
import dev.jcontainers.testkit.Skopeo;
import dev.jcontainers.testkit.TestImages;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The README's main job, offline and as root: start a local Distribution registry, push a busybox image to
 * it with skopeo, pull it, and run real containers from it, printing their output and exit codes.
 */
public final class RunExample {
    private RunExample() {
    }

    public static void main(String[] args) throws IOException {
        if (!"root".equals(System.getProperty("user.name"))) {
            System.err.println("RunExample starts containers (namespaces, cgroups, overlayfs): run it as root.");
            System.exit(1);
        }
        Path work = Files.createTempDirectory("jcontainers-run-example");
        int exit;
        try (RegistryServer registry = RegistryServer.plain()) {
            FixtureImage fixture = new TestImages(work.resolve("fixtures")).multiLayer("busybox", 2);
            Skopeo.push(fixture, registry, "library/busybox:1.36");
            String ref = registry.host() + "/library/busybox:1.36";
            System.out.println("registry on " + registry.host() + ", image pushed with skopeo as " + ref);

            try (Engine engine = Containers.engine(EngineOptions.builder().root(work.resolve("root")).build())) {
                ImageSummary image = engine.images().pull(ref);
                System.out.println("pulled " + ref + " (" + image.shortId() + ")");
                exit = helloContainer(engine, ref);
                oomKilledContainer(engine, ref);
            }
        } finally {
            deleteTree(work);
        }
        System.exit(exit);
    }

    /**
     * A sandbox: it belongs to this JVM (it dies with it, even on {@code kill -9}), and try-with-resources
     * stops and removes it, leaving no mount, cgroup or directory behind.
     */
    private static int helloContainer(Engine engine, String ref) {
        try (Container c = engine.containers().builder()
                .image(ref)
                .hostname("jc-demo")
                .command("sh", "-c", "echo hello from $(hostname), PID $$; "
                        + "cat /etc/os-release 2>/dev/null || uname -srm; cat /data/layer-1.txt; ps")
                .memory(DataSize.ofMegabytes(64)).cpus(0.5).pidsLimit(64)
                .start()) {
            System.out.println("started " + c.name() + " " + c.id().substring(0, 12));
            try (ContainerLogs.Following output = c.logs().follow(line -> System.out.print("  | " + line.text()))) {
                int exit = c.waitFor(Duration.ofSeconds(30));
                output.await();
                System.out.println(c.name() + " exited with code " + exit);
                return exit;
            }
        }
    }

    /** A 32 MiB memory limit against a shell that doubles a string forever: the kernel's OOM killer ends it. */
    private static void oomKilledContainer(Engine engine, String ref) {
        try (Container c = engine.containers().builder()
                .image(ref)
                .memory(DataSize.ofMegabytes(32))
                .command("sh", "-c", "x=a; while true; do x=$x$x; done")
                .start()) {
            int exit = c.waitFor(Duration.ofSeconds(60));
            System.out.println("memory hog exited with code " + exit + ", OOMKilled=" + c.inspect().oomKilled());
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
