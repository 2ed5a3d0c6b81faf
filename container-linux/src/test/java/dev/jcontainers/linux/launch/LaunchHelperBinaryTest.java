package dev.jcontainers.linux.launch;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;

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
            // no temporary files left, and no stamp: a file changed this very moment could change unseen
            assertThat(files.toList()).containsExactly(helper);
        }
        assertThat(LaunchHelperBinary.extract(dir.resolve("bin"))).isEqualTo(helper);
    }

    @Test
    void aSettledCopyIsStampedWithItsIdentity() throws Exception {
        Path helper = LaunchHelperBinary.extractVerified(dir, Clock.systemUTC());
        assertThat(stampOf(helper)).doesNotExist();

        assertThat(LaunchHelperBinary.extractVerified(dir, later())).isEqualTo(helper);

        assertThat(Files.readString(stampOf(helper)).strip()).isEqualTo(identity(helper));
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

    /** Same size, same mode, same inode: only the change time tells, and the stamp holds it. */
    @Test
    void aCopyChangedAfterItsStampIsReplaced() throws Exception {
        byte[] bytes = LaunchHelperBinary.bytes();
        Path helper = LaunchHelperBinary.extractVerified(dir, later());
        String stamped = Files.readString(stampOf(helper)).strip();
        Files.setPosixFilePermissions(helper, PosixFilePermissions.fromString("rwxr-xr-x"));
        byte[] altered = bytes.clone();
        altered[altered.length / 2] ^= 1;
        Files.write(helper, altered);
        // the later clock stamped a just-written file: wait out the kernel's timestamp tick, as a real stamp has
        for (int i = 0; i < 2000 && identity(helper).equals(stamped); i++) {
            Thread.sleep(1);
            Files.setPosixFilePermissions(helper, PosixFilePermissions.fromString("r-xr-xr-x"));
        }
        Files.setPosixFilePermissions(helper, PosixFilePermissions.fromString("r-xr-xr-x"));
        assertThat(identity(helper)).isNotEqualTo(stamped);

        assertThat(LaunchHelperBinary.extractVerified(dir, later())).isEqualTo(helper);

        assertThat(Files.readAllBytes(helper)).isEqualTo(bytes);
        assertThat(Files.readString(stampOf(helper)).strip()).isEqualTo(identity(helper));
    }

    @Test
    void aStampOfAnotherFileVouchesForNothing() throws Exception {
        byte[] bytes = LaunchHelperBinary.bytes();
        Path helper = LaunchHelperBinary.extractVerified(dir, later());
        Path stamp = stampOf(helper);
        Files.delete(helper);
        Files.writeString(helper, "#!/bin/sh\necho pwned\n");
        Files.writeString(stamp, "0 0 0 0 0 0\n");

        LaunchHelperBinary.extractVerified(dir, later());

        assertThat(Files.readAllBytes(helper)).isEqualTo(bytes);
    }

    /** A clock far enough ahead that the file just written counts as settled. */
    private static Clock later() {
        return Clock.offset(Clock.systemUTC(), LaunchHelperBinary.SETTLED.multipliedBy(2));
    }

    private static String identity(Path helper) throws Exception {
        return LaunchHelperBinary.identity(helper).orElseThrow().stamp();
    }

    private static Path stampOf(Path helper) {
        return helper.resolveSibling(helper.getFileName() + ".verified");
    }
}
