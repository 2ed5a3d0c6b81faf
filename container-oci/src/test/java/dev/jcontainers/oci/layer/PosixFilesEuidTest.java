package dev.jcontainers.oci.layer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

/** geteuid through syscall(2) against the kernel's own account of this process. */
class PosixFilesEuidTest {

    @Test
    void isRootAgreesWithTheEffectiveUidInProcStatus() throws IOException {
        // "Uid:\treal\teffective\tsaved\tfs"
        String uidLine = Files.readAllLines(Path.of("/proc/self/status")).stream()
                .filter(line -> line.startsWith("Uid:")).findFirst().orElseThrow();
        long effective = Long.parseLong(uidLine.split("\\s+")[2]);

        assertThat(PosixFiles.isRoot()).isEqualTo(effective == 0);
    }
}
