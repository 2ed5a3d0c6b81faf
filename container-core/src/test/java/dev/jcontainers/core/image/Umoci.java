package dev.jcontainers.core.image;

import dev.jcontainers.testkit.Requirements;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** {@code umoci unpack} as the independent reference for what an image's layers add up to. */
final class Umoci {
    private Umoci() {
    }

    /** Unpacks {@code layout:tag} into a new runtime bundle and returns the bundle's rootfs (needs root). */
    static Path unpack(Path layout, String tag, Path bundle) throws Exception {
        Path umoci = Requirements.requireTool("umoci");
        Process process = new ProcessBuilder(umoci.toString(), "unpack", "--image", layout + ":" + tag,
                bundle.toString()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new AssertionError("umoci unpack failed: " + output);
        }
        return bundle.resolve("rootfs");
    }
}
