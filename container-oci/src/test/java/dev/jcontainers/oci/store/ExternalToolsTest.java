package dev.jcontainers.oci.store;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jcontainers.oci.image.OciJson;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/** skopeo and umoci, as independent witnesses, read the layout the store writes. */
class ExternalToolsTest {
    private static final String BUSYBOX = "127.0.0.1:5000/busybox:1.36";
    private static final String NGINX = "docker.io/library/nginx:latest";

    @TempDir
    Path root;

    @Test
    void skopeoInspectsAStoredImageByItsFullName() throws Exception {
        requireTool("/usr/bin/skopeo");
        OciStore store = OciStore.open(root);
        TinyImage image = TinyImage.withFile("skopeo");
        image.storeAs(store, BUSYBOX);
        store.tag(NGINX, image.manifestDescriptor());

        for (String name : List.of(BUSYBOX, NGINX)) {
            Result r = run("/usr/bin/skopeo", "inspect", "oci:" + store.root() + ":" + name);
            assertThat(r.exit).as("skopeo inspect %s: %s", name, r.stderr).isZero();
            JsonNode json = OciJson.mapper().readTree(r.stdout);
            assertThat(json.path("Digest").asText()).isEqualTo(image.manifestDigest().toString());
            assertThat(json.path("Layers").get(0).asText()).isEqualTo(image.layerDigest().toString());
            assertThat(json.path("Os").asText()).isEqualTo("linux");
        }
    }

    @Test
    void umociListsTheStoredNames() throws Exception {
        requireTool("/usr/bin/umoci");
        OciStore store = OciStore.open(root);
        TinyImage.withFile("umoci").storeAs(store, BUSYBOX);
        TinyImage.withFile("other").storeAs(store, NGINX);

        Result r = run("/usr/bin/umoci", "ls", "--layout", store.root().toString());

        assertThat(r.exit).as("umoci ls: %s", r.stderr).isZero();
        assertThat(r.stdout.lines().toList()).containsExactlyInAnyOrder(BUSYBOX, NGINX);
    }

    private static void requireTool(String path) {
        if (Files.isExecutable(Path.of(path))) {
            return;
        }
        String reason = path + " is not installed";
        if ("true".equals(System.getenv("CI"))) {
            fail(reason + " (required under CI=true)");
        }
        System.out.println("SKIPPED: " + reason);
        Assumptions.abort(reason);
    }

    private record Result(int exit, String stdout, String stderr) {
    }

    private Result run(String... command) throws IOException, InterruptedException {
        Path out = Files.createTempFile(root.getParent(), "tool", ".out");
        Path err = Files.createTempFile(root.getParent(), "tool", ".err");
        try {
            Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor();
                fail(String.join(" ", command) + " did not finish within 30s");
            }
            return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
