package dev.jcontainers.core.volume;

import dev.jcontainers.api.BindPropagation;
import dev.jcontainers.api.Container;
import dev.jcontainers.api.ContainerException;
import dev.jcontainers.api.MountSpec;
import dev.jcontainers.core.LocalEngine;
import dev.jcontainers.core.container.RuntimeTest;
import dev.jcontainers.linux.mount.MountInfo;
import dev.jcontainers.linux.mount.Mounts;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Bind propagation in real containers: a host directory made a shared mount (as on a systemd host) is bound
 * into containers with each mode, and mounts made on either side after the start are looked for on the other.
 */
@RuntimeTest(repo = "propagation/busybox")
class BindPropagationTest {
    static LocalEngine engine;
    @RuntimeTest.Image
    static String image;

    @TempDir
    Path work;

    private Path shared;

    /** {@code work/shared}: a mount point of its own in a peer group of its own. */
    @BeforeEach
    void makeSharedSource() throws Exception {
        shared = Files.createDirectories(work.resolve("shared"));
        Mounts.bind(shared, shared, false);
        Mounts.setPropagation(shared, Mounts.Propagation.PRIVATE, false); // leave the parent's peer group
        Mounts.setPropagation(shared, Mounts.Propagation.SHARED, false);
        Files.createDirectories(shared.resolve("from-host"));
        Files.createDirectories(shared.resolve("from-container"));
    }

    @AfterEach
    void unmountAll() {
        List<MountInfo> left = Mounts.under(work);
        for (MountInfo m : left.reversed()) {
            Mounts.unmount(m.mountPoint(), Mounts.UnmountOption.DETACH);
        }
        assertThat(Mounts.under(work)).isEmpty();
    }

    private Container start(BindPropagation propagation) {
        return engine.containers().builder().image(image).privileged() // privileged: it may mount
                .mount(new MountSpec.Bind(shared.toString(), "/data", false, propagation))
                .command("sleep", "1000").start();
    }

    private static String mountsIn(Container c) {
        return c.exec("cat", "/proc/self/mountinfo").stdout();
    }

    /** A tmpfs on the host below the source after the container started, and one from inside below /data. */
    private void mountOnBothSides(Container c) {
        Mounts.mountTmpfs(shared.resolve("from-host"), 0, "size=1m");
        assertThat(c.exec("mount", "-t", "tmpfs", "-o", "size=1m", "inside", "/data/from-container").exitCode()).isZero();
    }

    private boolean hostSees(String name) {
        return Mounts.isMountPoint(shared.resolve(name));
    }

    @Test
    void rsharedPropagatesBothWays() {
        try (Container c = start(BindPropagation.RSHARED)) {
            mountOnBothSides(c);
            assertThat(mountsIn(c)).contains(" /data/from-host ");
            assertThat(hostSees("from-container")).isTrue();
        }
    }

    @Test
    void rslavePropagatesFromTheHostOnly() {
        try (Container c = start(BindPropagation.RSLAVE)) {
            mountOnBothSides(c);
            assertThat(mountsIn(c)).contains(" /data/from-host ");
            assertThat(hostSees("from-container")).isFalse();
        }
    }

    @Test
    void theDefaultRprivatePropagatesNeitherWay() {
        try (Container c = start(null)) {
            mountOnBothSides(c);
            assertThat(mountsIn(c)).doesNotContain(" /data/from-host ").contains(" /data/from-container ");
            assertThat(hostSees("from-container")).isFalse();
        }
    }

    @Test
    void mountsInTheContainersRootDoNotLeakToTheHost() {
        for (BindPropagation p : List.of(BindPropagation.RPRIVATE, BindPropagation.RSHARED)) {
            try (Container c = start(p)) {
                assertThat(c.exec("sh", "-c", "mkdir /leak && mount -t tmpfs -o size=1m leak /leak").exitCode()).isZero();
                assertThat(mountsIn(c)).contains(" /leak ");
                assertThat(MountInfo.self()).as("host mounts with a %s bind", p).noneMatch(m -> m.source().equals("leak"));
            }
        }
    }

    @Test
    void sharedNeedsASharedSourceMount() throws Exception {
        Path plain = Files.createDirectories(work.resolve("private"));
        Mounts.bind(plain, plain, false);
        Mounts.makePrivate(plain);
        assertThatThrownBy(() -> engine.containers().builder().image(image)
                .mount(new MountSpec.Bind(plain.toString(), "/data", false, BindPropagation.RSHARED)).create())
                .isInstanceOf(ContainerException.class).hasMessageContaining("is not a shared mount");
        assertThatThrownBy(() -> engine.containers().builder().image(image)
                .mount(new MountSpec.Bind(plain.toString(), "/data", false, BindPropagation.SLAVE)).create())
                .isInstanceOf(ContainerException.class).hasMessageContaining("not a shared or slave mount");
    }
}
