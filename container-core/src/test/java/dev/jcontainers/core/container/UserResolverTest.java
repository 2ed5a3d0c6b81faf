package dev.jcontainers.core.container;

import dev.jcontainers.api.ContainerException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class UserResolverTest {
    @TempDir
    Path rootfs;

    @BeforeEach
    void image() throws Exception {
        Files.createDirectories(rootfs.resolve("etc"));
        Files.writeString(rootfs.resolve("etc/passwd"), """
                root:x:0:0:root:/root:/bin/sh
                app:x:1000:1000:App:/home/app:/bin/sh
                # comment
                nobody:x:65534:65534:nobody:/nonexistent:/bin/false
                """);
        Files.writeString(rootfs.resolve("etc/group"), """
                root:x:0:
                app:x:1000:
                audio:x:29:app,other
                video:x:44:other
                staff:x:50:app
                """);
    }

    @Test
    void defaultIsRoot() {
        assertThat(UserResolver.resolve(rootfs, null)).isEqualTo(new UserResolver.ResolvedUser(0, 0, List.of(), "/root"));
    }

    @Test
    void namesResolveAgainstTheImageFiles() {
        UserResolver.ResolvedUser app = UserResolver.resolve(rootfs, "app");
        assertThat(app.uid()).isEqualTo(1000);
        assertThat(app.gid()).isEqualTo(1000);
        assertThat(app.additionalGids()).containsExactly(29L, 50L);
        assertThat(app.home()).isEqualTo("/home/app");
        assertThat(UserResolver.resolve(rootfs, "app:video").gid()).isEqualTo(44);
        assertThat(UserResolver.resolve(rootfs, "1000").home()).isEqualTo("/home/app");
    }

    @Test
    void numericIdsNeedNoEntry() {
        UserResolver.ResolvedUser u = UserResolver.resolve(rootfs, "4242:4343");
        assertThat(u.uid()).isEqualTo(4242);
        assertThat(u.gid()).isEqualTo(4343);
        assertThat(u.home()).isEqualTo("/");
    }

    @Test
    void unknownNamesAreClearErrors() {
        assertThatThrownBy(() -> UserResolver.resolve(rootfs, "ghost"))
                .isInstanceOf(ContainerException.class).hasMessageContaining("unable to find user ghost");
        assertThatThrownBy(() -> UserResolver.resolve(rootfs, "app:ghosts"))
                .isInstanceOf(ContainerException.class).hasMessageContaining("unable to find group ghosts");
    }

    @Test
    void aSymlinkedPasswdIsNotFollowedToTheHost() throws Exception {
        Files.delete(rootfs.resolve("etc/passwd"));
        Files.createSymbolicLink(rootfs.resolve("etc/passwd"), Path.of("/etc/passwd"));
        assertThatThrownBy(() -> UserResolver.resolve(rootfs, "root")).isInstanceOf(ContainerException.class);
    }
}
