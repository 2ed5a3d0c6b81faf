package dev.jcontainers.linux.ffm;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link Stat#typeOf}: the type of a path itself, and -1 for nothing there, as lstat(2) would tell. */
class StatTypeTest {
    @TempDir
    Path dir;

    @Test
    void tellsDirectoriesLinksFilesAndNothing() throws IOException {
        Path file = Files.writeString(dir.resolve("file"), "x");
        Path link = Files.createSymbolicLink(dir.resolve("link"), Path.of("file"));
        Path dangling = Files.createSymbolicLink(dir.resolve("dangling"), Path.of("missing"));

        assertThat(Stat.typeOf(dir)).isEqualTo(Stat.S_IFDIR);
        assertThat(Stat.typeOf(file)).isEqualTo(0x8000); // S_IFREG
        assertThat(Stat.typeOf(link)).as("not followed").isEqualTo(Stat.S_IFLNK);
        assertThat(Stat.typeOf(dangling)).isEqualTo(Stat.S_IFLNK);
        assertThat(Stat.typeOf(dir.resolve("missing"))).isEqualTo(-1);
        assertThat(Stat.typeOf(dir.resolve("missing/below"))).isEqualTo(-1);
        assertThat(Stat.typeOf(file.resolve("below"))).as("ENOTDIR").isEqualTo(-1);
        assertThat(Stat.typeOf(link.resolve("below"))).as("through a link to a file").isEqualTo(-1);
    }
}
