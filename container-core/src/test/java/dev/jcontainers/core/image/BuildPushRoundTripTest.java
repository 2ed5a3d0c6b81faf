package dev.jcontainers.core.image;

import dev.jcontainers.api.Engine;
import dev.jcontainers.api.ImageSummary;
import dev.jcontainers.api.PushOptions;
import dev.jcontainers.api.PushResult;
import dev.jcontainers.core.LocalEngine;
import dev.jcontainers.testkit.ExternalProcess;
import dev.jcontainers.testkit.RegistryServer;
import dev.jcontainers.testkit.RegistryTest;
import dev.jcontainers.testkit.Requirements;
import dev.jcontainers.testkit.Skopeo;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An image built from a directory and pushed to a real registry, checked only by other tools: skopeo reads
 * it from the registry and copies it into an OCI layout, and {@code umoci unpack} of that copy must give back
 * the tree we packed, entry for entry.
 */
@RegistryTest
class BuildPushRoundTripTest {
    private static final Duration TOOL_TIMEOUT = Duration.ofSeconds(30);

    static RegistryServer registry;

    @TempDir
    Path tmp;

    @BeforeEach
    void requirements() {
        Requirements.requireRoot(); // owners, setuid and the FIFO are only kept (and unpacked by umoci) as root
        Requirements.requireTool("skopeo");
        Requirements.requireTool("umoci");
        Requirements.requireTool("mkfifo");
    }

    @Test
    void aBuiltAndPushedTreeComesBackThroughSkopeoAndUmociUnchanged() throws Exception {
        Path tree = richTree(tmp.resolve("tree"));
        Map<String, TreeWalk.Node> packed = TreeWalk.of(tree);
        assertThat(packed.get("bin/tool").mode()).isEqualTo(04755);
        assertThat(packed.get("etc/conf").xattrs()).containsKey("user.comment");
        assertThat(packed.get("etc/conf-hard").hardlinkGroup()).isEqualTo("etc/conf");
        assertThat(packed.get("run/pipe").type()).isEqualTo("fifo");

        String target = registry.host() + "/roundtrip/app:1";
        PushResult pushed;
        try (Engine engine = new LocalEngine(TestEngines.isolated(tmp.resolve("root")).build())) {
            ImageSummary built = engine.images().buildFromScratch().addLayer(tree)
                    .cmd(List.of("/bin/tool")).tag("localhost/roundtrip:1").build();
            pushed = engine.images().push("localhost/roundtrip:1", target, PushOptions.defaults());
            assertThat(pushed.digest()).isEqualTo(built.manifestDigest());
        }

        assertThat(Skopeo.inspect(registry, "roundtrip/app:1").get("Digest").asText()).isEqualTo(pushed.digest());
        Path copy = tmp.resolve("copy");
        Skopeo.pull(registry, "roundtrip/app:1", copy, "1");
        Path unpacked = Umoci.unpack(copy, "1", tmp.resolve("bundle"));

        assertThat(TreeWalk.of(unpacked)).isEqualTo(packed);
    }

    /**
     * One of each entry type a layer carries: files with assorted modes (setuid, sticky dir, private, empty),
     * foreign owners, a symlink, a hardlink pair, an empty and deeply nested directories, a FIFO and a user
     * xattr.
     */
    private static Path richTree(Path root) throws IOException {
        Files.createDirectories(root.resolve("bin"));
        Files.createDirectories(root.resolve("etc"));
        Files.createDirectories(root.resolve("run"));
        Files.createDirectories(root.resolve("srv/a/b/c"));
        Files.createDirectories(root.resolve("empty"));
        Files.createDirectories(root.resolve("tmp"));
        Files.createDirectories(root.resolve("home/user"));

        Files.write(root.resolve("bin/tool"), "#!/bin/sh\necho tool\n".getBytes(StandardCharsets.UTF_8));
        Files.writeString(root.resolve("etc/conf"), "key=value\n");
        Files.createLink(root.resolve("etc/conf-hard"), root.resolve("etc/conf"));
        Files.writeString(root.resolve("etc/secret"), "s3cret");
        Files.createFile(root.resolve("etc/empty-file"));
        Files.writeString(root.resolve("srv/a/b/c/deep.txt"), "deep\n".repeat(5000));
        Files.writeString(root.resolve("home/user/notes.txt"), "mine\n");
        Files.createSymbolicLink(root.resolve("srv/conf-link"), Path.of("../etc/conf"));
        Files.createSymbolicLink(root.resolve("srv/dangling"), Path.of("/nowhere/at/all"));
        run("mkfifo", "-m", "0620", root.resolve("run/pipe").toString());

        UserDefinedFileAttributeView xattrs = Files.getFileAttributeView(root.resolve("etc/conf"),
                UserDefinedFileAttributeView.class);
        xattrs.write("comment", ByteBuffer.wrap("packed by jcontainers".getBytes(StandardCharsets.UTF_8)));

        chmod("4755", root.resolve("bin/tool"));
        chmod("0640", root.resolve("etc/conf"));
        chmod("0600", root.resolve("etc/secret"));
        chmod("1777", root.resolve("tmp"));
        chmod("0700", root.resolve("empty"));
        chmod("0750", root.resolve("home/user"));
        chown(1000, 1000, root.resolve("home/user"));
        chown(1000, 1000, root.resolve("home/user/notes.txt"));
        chown(0, 42, root.resolve("etc/secret"));
        return root;
    }

    private static void chmod(String mode, Path path) {
        run("chmod", mode, path.toString());
    }

    private static void chown(int uid, int gid, Path path) throws IOException {
        Files.setAttribute(path, "unix:uid", uid);
        Files.setAttribute(path, "unix:gid", gid);
    }

    private static void run(String... command) {
        ExternalProcess.check(TOOL_TIMEOUT, List.of(command));
    }
}
