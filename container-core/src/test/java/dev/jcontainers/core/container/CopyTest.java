package dev.jcontainers.core.container;

import dev.jcontainers.api.Container;
import dev.jcontainers.api.ContainerPathNotFoundException;
import dev.jcontainers.api.ContainerStateException;
import dev.jcontainers.api.UnsafePathException;
import dev.jcontainers.core.LocalEngine;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code docker cp} in and out of real containers, running and stopped, and the escapes it must refuse. */
@RuntimeTest(repo = "cp/busybox")
class CopyTest {
    static LocalEngine engine;
    @RuntimeTest.Image
    static String image;
    static Container box;

    @TempDir
    Path host;

    @BeforeAll
    static void setUp() {
        box = engine.containers().builder().image(image).command("sh", "-c",
                "ln -s / /evil; ln -s ../../../.. /tmp/up; mkdir -p /data/sub; echo inside > /data/sub/f; "
                        + "ln -s sub/f /data/link; exec sleep 600").start();
        while (!box.exec("test", "-L", "/data/link").succeeded()) {
            Thread.onSpinWait();
        }
    }

    private static String sh(String script) {
        return box.exec("sh", "-c", script).stdout();
    }

    @Test
    void aFileGoesInOwnedByRootWithItsModeAndOutToANewName() throws IOException {
        Path f = Files.writeString(host.resolve("hello.txt"), "hello\n");
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rwxr-x---"));
        box.copyTo(f, "/tmp/");
        box.copyTo(f, "/tmp/renamed.txt");
        assertThat(sh("cat /tmp/hello.txt /tmp/renamed.txt; stat -c '%u:%g %a' /tmp/hello.txt"))
                .isEqualTo("hello\nhello\n0:0 750\n");

        box.copyFrom("/tmp/renamed.txt", host.resolve("back.txt"));
        assertThat(host.resolve("back.txt")).hasContent("hello");
        box.copyFrom("/data/sub/f", host); // into an existing directory, under its own name
        assertThat(host.resolve("f")).hasContent("inside");
    }

    @Test
    void directoriesWithSymlinksBothWaysAndDockersSlashDotRule() throws IOException {
        Path dir = Files.createDirectories(host.resolve("tree/nested"));
        Files.writeString(dir.resolve("file"), "x");
        Files.createSymbolicLink(host.resolve("tree/link"), Path.of("nested/file"));
        box.copyTo(host.resolve("tree"), "/tmp"); // existing directory: copied into it
        box.copyTo(host.resolve("tree"), "/tmp/newname"); // missing: becomes it
        box.exec("mkdir", "/tmp/contents");
        box.copyTo(Path.of(host.resolve("tree") + "/."), "/tmp/contents"); // only what is inside
        assertThat(sh("cat /tmp/tree/nested/file /tmp/newname/nested/file /tmp/contents/nested/file; "
                + "readlink /tmp/tree/link; readlink /tmp/contents/link")).isEqualTo("xxx" + "nested/file\nnested/file\n");

        box.copyFrom("/data", host.resolve("out"));
        assertThat(host.resolve("out/sub/f")).hasContent("inside");
        assertThat(Files.readSymbolicLink(host.resolve("out/link"))).isEqualTo(Path.of("sub/f"));
        Files.createDirectories(host.resolve("into"));
        box.copyFrom("/data/.", host.resolve("into"));
        assertThat(host.resolve("into/sub/f")).hasContent("inside");
        assertThat(host.resolve("into/data")).doesNotExist();
    }

    @Test
    void symlinksInTheContainerNeverReachTheHost() throws IOException {
        String name = "jc-cp-escape-" + UUID.randomUUID();
        Path hostFile = Path.of("/tmp", name);
        Path src = Files.writeString(host.resolve("payload"), "payload");
        try {
            // "/evil -> /" and "/tmp/up -> ../../../.." resolve to the container's root, never the host's
            box.copyTo(src, "/evil/tmp/" + name);
            box.copyTo(src, "/tmp/up/tmp/" + name + ".2");
            box.copyTo(src, "/../../../tmp/" + name + ".3");
            assertThat(hostFile).doesNotExist();
            assertThat(Path.of(hostFile + ".2")).doesNotExist();
            assertThat(Path.of(hostFile + ".3")).doesNotExist();
            assertThat(sh("cat /tmp/" + name + " /tmp/" + name + ".2 /tmp/" + name + ".3"))
                    .isEqualTo("payload".repeat(3));

            Files.writeString(hostFile, "host secret");
            box.exec("rm", "/tmp/" + name);
            assertThatThrownBy(() -> box.copyFrom("/evil/tmp/" + name, host.resolve("stolen")))
                    .isInstanceOf(ContainerPathNotFoundException.class);
            assertThatThrownBy(() -> box.copyFrom("/tmp/up/../tmp/" + name, host.resolve("stolen")))
                    .isInstanceOf(ContainerPathNotFoundException.class);
            // a magic link leads to another root: refused outright
            assertThatThrownBy(() -> box.copyFrom("/proc/1/root/etc/passwd", host.resolve("stolen")))
                    .isInstanceOf(UnsafePathException.class);
            // "self" names the copying process, which the container's /proc does not know
            assertThatThrownBy(() -> box.copyFrom("/proc/self/root/etc/passwd", host.resolve("stolen")))
                    .isInstanceOf(ContainerPathNotFoundException.class);
            assertThatThrownBy(() -> box.copyTo(src, "/proc/1/root/tmp/x")).isInstanceOf(UnsafePathException.class);
            assertThat(host.resolve("stolen")).doesNotExist();

            // a link copied out stays a link; it is not followed on the host
            box.copyFrom("/evil", host.resolve("evil"));
            assertThat(Files.isSymbolicLink(host.resolve("evil"))).isTrue();
        } finally {
            for (String suffix : List.of("", ".2", ".3")) {
                Files.deleteIfExists(Path.of(hostFile + suffix));
            }
        }
    }

    @Test
    void tarStreamsWithOwnershipAndHostileNames() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        box.copyFrom("/data", out);
        List<String> names = new ArrayList<>();
        try (TarArchiveInputStream in = new TarArchiveInputStream(new ByteArrayInputStream(out.toByteArray()))) {
            TarArchiveEntry e;
            while ((e = in.getNextEntry()) != null) {
                names.add(e.getName() + (e.isSymbolicLink() ? " -> " + e.getLinkName() : ""));
            }
        }
        assertThat(names).containsExactly("data/", "data/link -> sub/f", "data/sub/", "data/sub/f");

        box.copyTo(tar("owned/file", 1234, "x"), "/tmp", true);
        box.copyTo(tar("rooted/file", 1234, "x"), "/tmp", false);
        assertThat(sh("stat -c %u:%g /tmp/owned/file /tmp/rooted/file")).isEqualTo("1234:1234\n0:0\n");

        assertThatThrownBy(() -> box.copyTo(tar("../../escaped", 0, "x"), "/tmp", false))
                .isInstanceOf(UnsafePathException.class);
        assertThatThrownBy(() -> box.copyTo(tar("x", 0, "x"), "/no/such/dir", false))
                .isInstanceOf(ContainerPathNotFoundException.class);
    }

    @Test
    void anArchivesOwnSymlinkCannotCarryLaterEntriesOutOfTheContainer() throws IOException {
        String name = "jc-cp-trap-" + UUID.randomUUID();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream out = new TarArchiveOutputStream(bytes)) {
            TarArchiveEntry link = new TarArchiveEntry("trap", org.apache.commons.compress.archivers.tar.TarConstants.LF_SYMLINK);
            link.setLinkName("/tmp");
            out.putArchiveEntry(link);
            out.closeArchiveEntry();
            TarArchiveEntry through = new TarArchiveEntry("trap/" + name);
            through.setSize(1);
            out.putArchiveEntry(through);
            out.write('x');
            out.closeArchiveEntry();
        }
        try {
            box.copyTo(new ByteArrayInputStream(bytes.toByteArray()), "/", false);
            assertThat(Path.of("/tmp", name)).doesNotExist();
            assertThat(sh("readlink /trap; cat /tmp/" + name)).isEqualTo("/tmp\nx");
        } finally {
            Files.deleteIfExists(Path.of("/tmp", name));
        }
    }

    @Test
    void hardLinksStayLinkedBothWays() throws IOException {
        box.exec("sh", "-c", "mkdir /tmp/hl && echo same > /tmp/hl/a && ln /tmp/hl/a /tmp/hl/b");
        box.copyFrom("/tmp/hl", host.resolve("hl"));
        assertThat(Files.isSameFile(host.resolve("hl/a"), host.resolve("hl/b"))).isTrue();
        box.copyTo(host.resolve("hl"), "/tmp/hl2");
        assertThat(sh("stat -c %h /tmp/hl2/a; cat /tmp/hl2/b")).isEqualTo("2\nsame\n");
    }

    @Test
    void stoppedAndNeverStartedContainersToo() throws IOException {
        Path f = Files.writeString(host.resolve("seed"), "seeded");
        try (Container c = engine.containers().builder().image(image).volume("cp-test-vol", "/vol")
                .command("cat", "/seed").create()) {
            c.copyTo(f, "/seed"); // before its first start
            c.start();
            assertThat(c.waitFor()).isZero();
            assertThat(c.logs().lines().getFirst().text()).isEqualTo("seeded");
            c.copyFrom("/seed", host.resolve("again")); // after it stopped
            assertThat(host.resolve("again")).hasContent("seeded");
            // a stopped container has no volume mounted: the copy would land under it, unseen
            assertThatThrownBy(() -> c.copyTo(f, "/vol/x")).isInstanceOf(ContainerStateException.class);
            assertThat(Files.exists(host.resolve("again"), LinkOption.NOFOLLOW_LINKS)).isTrue();
        } finally {
            engine.volumes().remove("cp-test-vol", true);
        }
    }

    private static ByteArrayInputStream tar(String name, int id, String content) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream out = new TarArchiveOutputStream(bytes)) {
            TarArchiveEntry e = new TarArchiveEntry(name);
            byte[] data = content.getBytes(StandardCharsets.UTF_8);
            e.setSize(data.length);
            e.setIds(id, id);
            e.setMode(0100644);
            out.putArchiveEntry(e);
            out.write(data);
            out.closeArchiveEntry();
        }
        return new ByteArrayInputStream(bytes.toByteArray());
    }
}
