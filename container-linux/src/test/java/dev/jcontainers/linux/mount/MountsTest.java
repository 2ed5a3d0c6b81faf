package dev.jcontainers.linux.mount;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jcontainers.linux.ffm.Errno;
import dev.jcontainers.linux.ffm.LinuxException;
import dev.jcontainers.linux.ffm.Mount;
import dev.jcontainers.linux.ffm.Stat;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MountsTest {
    private MountSandbox box;

    @BeforeEach
    void setUp() throws IOException {
        box = MountSandbox.create();
    }

    @AfterEach
    void tearDown() {
        if (box != null) {
            box.close();
        }
    }

    @Test
    void bindMountShowsTheSourceAndUnmountsCleanly() throws IOException {
        box.write("src/file", "hello");
        Path target = box.dir("target");
        assertThat(Mounts.isMountPoint(target)).isFalse();

        Mounts.bind(box.root().resolve("src"), target, false);
        try {
            assertThat(Mounts.isMountPoint(target)).isTrue();
            assertThat(Files.readString(target.resolve("file"))).isEqualTo("hello");
        } finally {
            Mounts.unmount(target);
        }
        assertThat(Mounts.isMountPoint(target)).isFalse();
        assertThat(target.resolve("file")).doesNotExist();
    }

    @Test
    void statxTellsMountRootsAsTheMountTableDoes() throws IOException {
        Path plain = box.dir("plain");
        for (Path p : List.of(Path.of("/"), Path.of("/proc"), Path.of("/sys"), plain, box.root())) {
            Stat.Attributes attributes = Stat.attributes(p);
            assertThat(attributes.knowsMountRoot()).as("kernel 5.8+ reports STATX_ATTR_MOUNT_ROOT").isTrue();
            assertThat(attributes.isMountRoot()).as(p.toString()).isEqualTo(Mounts.find(p).isPresent());
        }
        assertThat(Stat.attributes(plain).isMountRoot()).isFalse();
        Mounts.mountTmpfs(plain, Mount.MS_NOSUID | Mount.MS_NODEV, "size=1m");
        try {
            assertThat(Stat.attributes(plain).isMountRoot()).isTrue();
            assertThat(Stat.attributes(plain.getParent()).isMountRoot()).isEqualTo(Mounts.find(plain.getParent()).isPresent());
        } finally {
            Mounts.unmount(plain);
        }
        assertThatThrownBy(() -> Stat.attributes(plain.resolve("missing")))
                .isInstanceOf(LinuxException.class).hasMessageContaining("statx");
    }

    @Test
    void unmountIfMountedUnmountsOnceAndThenReportsNothingToDo() throws IOException {
        box.write("src/file", "hello");
        Path target = box.dir("target");
        Mounts.bind(box.root().resolve("src"), target, false);
        assertThat(Mounts.unmountIfMounted(target, Mounts.UnmountOption.DETACH)).isTrue();
        assertThat(Mounts.isMountPoint(target)).isFalse();
        assertThat(Mounts.unmountIfMounted(target, Mounts.UnmountOption.DETACH)).isFalse();
        assertThat(Mounts.unmountIfMounted(box.root().resolve("missing"))).isFalse();
    }

    @Test
    void remountReadOnlyAffectsOnlyTheBindMount() throws IOException {
        Path src = box.write("src/file", "hello").getParent();
        Path target = box.dir("target");
        Mounts.bind(src, target, false);
        try {
            Mounts.remountReadOnly(target);
            assertThat(Mounts.find(target).orElseThrow().isReadOnly()).isTrue();
            assertThat(Stat.statfs(target).isReadOnly()).isTrue();
            assertThatThrownBy(() -> Files.writeString(target.resolve("file"), "x"))
                    .isInstanceOf(FileSystemException.class).hasMessageContaining("Read-only file system");
            Files.writeString(src.resolve("file"), "still writable");
            assertThat(Files.readString(target.resolve("file"))).isEqualTo("still writable");
        } finally {
            Mounts.unmount(target);
        }
    }

    @Test
    void aBusyMountNeedsDetachToGo() throws IOException {
        Path target = box.dir("tmpfs");
        Mounts.mountTmpfs(target, Mount.MS_NOSUID | Mount.MS_NODEV, "size=1m,mode=700");
        assertThat(Stat.statfs(target).type()).isEqualTo(Stat.TMPFS_MAGIC);
        Files.writeString(target.resolve("open"), "kept open");

        try (FileChannel open = FileChannel.open(target.resolve("open"), StandardOpenOption.READ)) {
            assertThatThrownBy(() -> Mounts.unmount(target))
                    .isInstanceOf(LinuxException.class).hasMessageContaining("umount2(" + target + ")")
                    .satisfies(e -> assertThat(((LinuxException) e).errno()).isEqualTo(Errno.EBUSY));

            Mounts.unmount(target, Mounts.UnmountOption.DETACH);
            assertThat(Mounts.isMountPoint(target)).isFalse();
            assertThat(open.size()).as("the detached mount lives on for its open file").isEqualTo(9);
        }
    }

    @Test
    void unmountingWhatIsNotAMountPointFailsWithEinval() throws IOException {
        Path plain = box.dir("plain");
        assertThatThrownBy(() -> Mounts.unmount(plain))
                .isInstanceOf(LinuxException.class).hasMessageContaining(plain.toString())
                .satisfies(e -> assertThat(((LinuxException) e).errno()).isEqualTo(Errno.EINVAL));
    }

    @Test
    void propagationCanBeSharedSlaveAndPrivate() throws IOException {
        Path a = box.dir("a");
        Path b = box.dir("b");
        Mounts.mountTmpfs(a, 0, "size=1m");
        try {
            Mounts.setPropagation(a, Mounts.Propagation.SHARED, false);
            assertThat(Mounts.find(a).orElseThrow().isShared()).isTrue();

            Mounts.bind(a, b, false);
            try {
                assertThat(Mounts.find(b).orElseThrow().optionalFields())
                        .as("a bind of a shared mount joins its peer group")
                        .isEqualTo(Mounts.find(a).orElseThrow().optionalFields());

                Mounts.makeRslave(b);
                MountInfo slave = Mounts.find(b).orElseThrow();
                assertThat(slave.isSlave()).isTrue();
                assertThat(slave.isShared()).isFalse();

                Path sub = box.dir("a/sub");
                Mounts.mountTmpfs(sub, 0, "size=1m");
                try {
                    assertThat(Mounts.isMountPoint(b.resolve("sub"))).as("propagated from the master").isTrue();
                } finally {
                    Mounts.unmount(sub);
                }
                assertThat(Mounts.isMountPoint(b.resolve("sub"))).as("unmount propagated too").isFalse();
            } finally {
                Mounts.unmount(b);
            }
            Mounts.makePrivate(a);
            assertThat(Mounts.find(a).orElseThrow().optionalFields()).isEmpty();
        } finally {
            Mounts.unmount(a);
        }
    }

    @Test
    void theRootIsAMountPointAndAPlainDirectoryIsNot() throws IOException {
        assertThat(Mounts.isMountPoint(Path.of("/"))).isTrue();
        assertThat(Mounts.isMountPoint(box.dir("plain"))).isFalse();
    }
}
