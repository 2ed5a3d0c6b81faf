package dev.jcontainers.cli;

import dev.jcontainers.testkit.ExternalProcess;
import dev.jcontainers.testkit.FixtureImage;
import dev.jcontainers.testkit.RegistryServer;
import dev.jcontainers.testkit.RegistryTest;
import dev.jcontainers.testkit.Requirements;
import dev.jcontainers.testkit.Skopeo;
import dev.jcontainers.testkit.TestImages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Pulling, listing and inspecting need no root: jc runs here as user nobody (65534). */
@RegistryTest
class UnprivilegedPullTest {
    @TempDir
    Path work;

    @Test
    void nobodyPullsListsAndInspects(RegistryServer registry) throws Exception {
        Requirements.requireRoot();
        Path setpriv = Requirements.requireTool("setpriv");
        FixtureImage image = new TestImages(work.resolve("fixtures")).singleLayer("nobody");
        Skopeo.push(image, registry, "nobody/busybox:1");

        // The test class path lives under /root, which nobody cannot read: give it a readable copy.
        Path cp = Files.createDirectories(work.resolve("cp"));
        List<String> entries = new ArrayList<>();
        int i = 0;
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path source = Path.of(entry);
            Path target = cp.resolve(i++ + "-" + source.getFileName());
            copyTree(source, target);
            entries.add(target.toString());
        }
        Path root = work.resolve("store");
        makeReadable(work);
        Files.createDirectories(root);
        ExternalProcess.check(Duration.ofSeconds(10), List.of("chown", "-R", "65534:65534", root.toString()));

        String java = ProcessHandle.current().info().command().orElseThrow();
        String ref = registry.host() + "/nobody/busybox:1";
        List<String> base = List.of(setpriv.toString(), "--reuid=65534", "--regid=65534", "--clear-groups",
                "--", java, "-cp", String.join(File.pathSeparator, entries), "dev.jcontainers.cli.Jc",
                "--root", root.toString());
        var pull = ExternalProcess.check(Duration.ofSeconds(60), concat(base, "pull", "-q", ref));
        assertThat(pull.stdout()).contains(ref);
        var images = ExternalProcess.check(Duration.ofSeconds(60), concat(base, "images", "-q"));
        assertThat(images.stdout().strip()).isEqualTo(image.configDigest().substring(7, 19));
        var inspect = ExternalProcess.check(Duration.ofSeconds(60), concat(base, "image", "inspect", ref));
        assertThat(inspect.stdout()).contains(image.configDigest());
        try (Stream<Path> files = Files.walk(root)) {
            assertThat(files).allSatisfy(p -> assertThat(Files.getOwner(p).getName()).isEqualTo("nobody"));
        }
    }

    private static List<String> concat(List<String> base, String... more) {
        List<String> out = new ArrayList<>(base);
        out.addAll(List.of(more));
        return out;
    }

    private static void copyTree(Path source, Path target) throws Exception {
        if (Files.isDirectory(source)) {
            try (Stream<Path> walk = Files.walk(source)) {
                for (Path p : walk.toList()) {
                    Path t = target.resolve(source.relativize(p).toString());
                    if (Files.isDirectory(p)) {
                        Files.createDirectories(t);
                    } else {
                        Files.copy(p, t, StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }
        } else if (Files.exists(source)) {
            Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static void makeReadable(Path top) throws Exception {
        try (Stream<Path> walk = Files.walk(top)) {
            for (Path p : walk.toList()) {
                Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(Files.isDirectory(p) ? "rwxr-xr-x" : "rw-r--r--"));
            }
        }
        for (Path p = top; p != null; p = p.getParent()) {
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
            if (p.getParent() != null && p.getParent().equals(Path.of(System.getProperty("java.io.tmpdir")))) {
                break;
            }
        }
    }
}
