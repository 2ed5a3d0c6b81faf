package dev.jcontainers.linux.launch;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LaunchHelperBinaryTest {
    @TempDir
    Path dir;

    @Test
    void extractsToAContentNamedReadOnlyExecutable() throws Exception {
        byte[] bytes = LaunchHelperBinary.bytes();
        String digest = LaunchHelperBinary.sha256(bytes);

        Path helper = LaunchHelperBinary.extract(dir.resolve("bin"));

        assertThat(helper.getFileName().toString()).isEqualTo("jc-launch-" + digest.substring(0, 16));
        assertThat(Files.readAllBytes(helper)).isEqualTo(bytes);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(helper))).isEqualTo("r-xr-xr-x");
        try (var files = Files.list(dir.resolve("bin"))) {
            assertThat(files.toList()).containsExactly(helper); // no temporary files left
        }
        assertThat(LaunchHelperBinary.extract(dir.resolve("bin"))).isEqualTo(helper);
    }

    @Test
    void replacesATamperedCopy() throws Exception {
        Path cache = dir.resolve("cache");
        Files.createDirectories(cache);
        String digest = LaunchHelperBinary.sha256(LaunchHelperBinary.bytes());
        Path planted = cache.resolve("jc-launch-" + digest.substring(0, 16));
        Files.writeString(planted, "#!/bin/sh\necho pwned\n");
        Files.setPosixFilePermissions(planted, PosixFilePermissions.fromString("rwxr-xr-x"));

        Path helper = LaunchHelperBinary.extract(cache);

        assertThat(helper).isEqualTo(planted);
        assertThat(LaunchHelperBinary.sha256(Files.readAllBytes(helper))).isEqualTo(digest);
    }
}
