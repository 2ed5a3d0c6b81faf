package dev.jcontainers.linux.launch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class InRootTest {
    private Path root;

    @BeforeEach
    void createRoot() throws Exception {
        root = Files.createTempDirectory("jc-inroot-");
    }

    @AfterEach
    void deleteRoot() throws Exception {
        TestFiles.deleteRecursively(root); // does not follow the links that point out of the root
    }

    @Test
    void absoluteAndDotDotLinksStayInsideTheRoot() throws Exception {
        Files.createDirectories(root.resolve("etc"));
        Files.createSymbolicLink(root.resolve("dev"), Path.of("/etc"));
        Files.createSymbolicLink(root.resolve("up"), Path.of("../../../.."));
        Files.createDirectories(root.resolve("a/b"));
        Files.createSymbolicLink(root.resolve("a/b/rel"), Path.of("../../etc"));

        assertThat(InRoot.resolve(root, "/dev/shm")).isEqualTo(root.resolve("etc/shm"));
        assertThat(InRoot.resolve(root, "/up/etc/hosts")).isEqualTo(root.resolve("etc/hosts"));
        assertThat(InRoot.resolve(root, "/a/b/rel/x")).isEqualTo(root.resolve("etc/x"));
        assertThat(InRoot.resolve(root, "/../../proc")).isEqualTo(root.resolve("proc"));
        assertThat(InRoot.resolve(root, "/")).isEqualTo(root);
    }

    @Test
    void symlinkLoopsAreRefused() throws Exception {
        Files.createSymbolicLink(root.resolve("loop"), Path.of("/loop"));
        assertThatThrownBy(() -> InRoot.resolve(root, "/loop/x")).hasMessageContaining("too many symlinks");
    }
}
