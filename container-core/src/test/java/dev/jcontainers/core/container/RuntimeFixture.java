package dev.jcontainers.core.container;

import dev.jcontainers.api.EngineOptions;
import dev.jcontainers.core.LocalEngine;
import dev.jcontainers.linux.mount.MountInfo;
import dev.jcontainers.linux.mount.Mounts;
import dev.jcontainers.testkit.RegistryServer;
import dev.jcontainers.testkit.Requirements;
import dev.jcontainers.testkit.Skopeo;
import dev.jcontainers.testkit.TestImages;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** What the runtime tests share: a busybox image in the test registry and an engine on a private root. */
public final class RuntimeFixture {
    private RuntimeFixture() {
    }

    /**
     * Needs root and skopeo (skips with the reason, fails under CI=true); pushes a busybox image with
     * {@code layers} layers as {@code repo:1} and returns its reference.
     */
    public static String pushBusybox(RegistryServer registry, Path fixtures, String repo, int layers) {
        Requirements.requireRoot();
        Requirements.requireTool("skopeo");
        Skopeo.push(new TestImages(fixtures).multiLayer(repo.replace('/', '-'), layers), registry, repo + ":1");
        return registry.host() + "/" + repo + ":1";
    }

    /** The embedded DNS forwards nothing: no test may look up a name outside. */
    public static LocalEngine engine(Path root) {
        return new LocalEngine(EngineOptions.builder().root(root).dockerConfig(root.resolve("none.json"))
                .dnsServers(java.util.List.of()).build());
    }

    /** Closes the engine (removing its sandboxes) and checks that no mount under its root is left. */
    public static void close(LocalEngine engine, Path root) {
        if (engine != null) {
            engine.close();
            List<Path> left = MountInfo.self().stream().map(MountInfo::mountPoint).filter(m -> m.startsWith(root)).toList();
            // a failed test (say, a detached container never removed) must not leave its mounts on the host
            left.reversed().forEach(m -> Mounts.unmount(m, Mounts.UnmountOption.DETACH));
            assertThat(left).as("mounts left under " + root).isEmpty();
        }
    }
}
