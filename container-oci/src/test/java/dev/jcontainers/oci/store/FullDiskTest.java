package dev.jcontainers.oci.store;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * A real ENOSPC: a child JVM writes a blob into a store on a 1 MiB tmpfs, mounted in a private mount
 * namespace (so nothing is visible to, or left behind on, the host). Needs root and unshare(1).
 */
class FullDiskTest {
    @TempDir
    Path dir;

    @Test
    void fullDiskSurfacesAsStorageExceptionAndLeavesNoTempFile() throws Exception {
        requireRootAndUnshare();
        Path mountPoint = Files.createDirectory(dir.resolve("tiny"));
        Path storeRoot = mountPoint.resolve("store");
        String java = ProcessHandle.current().info().command().orElseThrow();
        List<String> command = new ArrayList<>(List.of("/usr/bin/unshare", "--mount", "--propagation", "private",
                "/bin/sh", "-c", "mount -t tmpfs -o size=1m tmpfs \"$0\" && exec \"$@\"", mountPoint.toString(),
                java, "-cp", System.getProperty("java.class.path"), StoreWorker.class.getName(),
                "fill", storeRoot.toString(), String.valueOf(4L << 20)));
        Path out = dir.resolve("out");
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        try {
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("child finished").isTrue();
        } finally {
            p.destroyForcibly().waitFor();
        }
        String output = Files.readString(out, StandardCharsets.UTF_8);

        assertThat(p.exitValue()).as(output).isZero();
        assertThat(output).contains("StorageException: ", "No space left on device", storeRoot + "/tmp/blob-")
                .contains("temp files left: 0");
        assertThat(mountPoint).isEmptyDirectory(); // the tmpfs lived only in the child's namespace
    }

    private static void requireRootAndUnshare() throws Exception {
        String reason = null;
        if (!Files.isExecutable(Path.of("/usr/bin/unshare"))) {
            reason = "unshare(1) is not installed";
        } else {
            Process id = new ProcessBuilder("id", "-u").start();
            String uid = new String(id.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            id.waitFor();
            if (!uid.equals("0")) {
                reason = "mounting a tmpfs needs root (uid " + uid + ")";
            }
        }
        if (reason == null) {
            return;
        }
        if ("true".equals(System.getenv("CI"))) {
            fail(reason + " (required under CI=true)");
        }
        System.out.println("SKIPPED: " + reason);
        Assumptions.abort(reason);
    }
}
