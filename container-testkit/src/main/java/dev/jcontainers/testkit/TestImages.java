package dev.jcontainers.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.Deflater;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Builds fixture images from the host's static busybox as OCI image layouts on disk, independent
 * of the project's own store code. Each call writes a fresh layout directory under the root given
 * to the constructor (use a JUnit {@code @TempDir}). Content is deterministic: the same call gives
 * the same digests every time; the tag only names the image in index.json.
 *
 * <p>Every image has the busybox base layer: {@code bin/busybox}, symlinks {@code bin/sh},
 * {@code bin/ls}, ... to it, {@code etc/passwd}, {@code etc/group}, {@code tmp/} (1777), and a config
 * with {@code Cmd ["sh"]}, {@code PATH} set, and a history whose last entry is an empty layer.
 */
public final class TestImages {

    public static final String LAYER_GZIP = "application/vnd.oci.image.layer.v1.tar+gzip";
    public static final String MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    public static final String INDEX = "application/vnd.oci.image.index.v1+json";
    public static final String CONFIG = "application/vnd.oci.image.config.v1+json";

    /** The busybox applets linked in {@code /bin}. */
    public static final List<String> APPLETS = List.of("sh", "ash", "cat", "chmod", "chown", "cp", "date", "echo",
            "env", "false", "grep", "head", "hostname", "id", "kill", "ln", "ls", "mkdir", "mount", "mv", "ps", "pwd",
            "readlink", "rm", "sed", "sleep", "stat", "tail", "test", "touch", "true", "uname", "wc", "whoami",
            "nc", "ip", "ifconfig", "ping", "wget", "route", "timeout", "tty", "stty");

    static final String PASSWD = "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n";
    static final String GROUP = "root:x:0:\nnobody:x:65534:\n";

    private static final List<Path> BUSYBOX_LOCATIONS = List.of(Path.of("/bin/busybox"), Path.of("/usr/bin/busybox"));
    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static volatile byte[] busybox;

    private final Path root;
    private final ObjectMapper json = new ObjectMapper();

    public TestImages(Path root) {
        this.root = root;
    }

    /** The busybox base layer only. */
    public FixtureImage singleLayer(String tag) {
        LayoutWriter writer = newLayout(tag);
        FixtureImage image = writeImage(writer, tag, "amd64", List.of(baseLayer(null)), Deflater.DEFAULT_COMPRESSION);
        writer.tag(image.manifest(), tag);
        writer.writeIndex();
        return image;
    }

    /**
     * The base layer plus {@code layers - 1} more; layer {@code i} (1-based) adds {@code data/layer-i.txt}
     * holding {@code "layer i\n"}.
     */
    public FixtureImage multiLayer(String tag, int layers) {
        if (layers < 1) {
            throw new IllegalArgumentException("an image has at least one layer");
        }
        List<LayerContent> contents = new ArrayList<>(List.of(baseLayer(null)));
        for (int i = 1; i < layers; i++) {
            contents.add(new LayerContent("COPY layer-" + i + ".txt /data/ # buildkit")
                    .dir("data").file("data/layer-" + i + ".txt", "layer " + i + "\n"));
        }
        LayoutWriter writer = newLayout(tag);
        FixtureImage image = writeImage(writer, tag, "amd64", contents, Deflater.DEFAULT_COMPRESSION);
        writer.tag(image.manifest(), tag);
        writer.writeIndex();
        return image;
    }

    /**
     * Three layers exercising deletions: base; {@code data/a.txt}, {@code data/keep.txt},
     * {@code data/dir/b.txt}; then a whiteout {@code data/.wh.a.txt} and an opaque marker
     * {@code data/dir/.wh..wh..opq} with a new {@code data/dir/c.txt}. Result: {@code a.txt} and
     * {@code dir/b.txt} are gone; {@code keep.txt} and {@code dir/c.txt} remain.
     */
    public FixtureImage withWhiteouts(String tag) {
        List<LayerContent> contents = List.of(baseLayer(null),
                new LayerContent("COPY data /data")
                        .dir("data").file("data/a.txt", "a\n").file("data/keep.txt", "keep\n")
                        .dir("data/dir").file("data/dir/b.txt", "b\n"),
                new LayerContent("RUN rm /data/a.txt && rm -r /data/dir/* && echo c > /data/dir/c.txt")
                        .dir("data").file("data/.wh.a.txt", 0644, new byte[0])
                        .dir("data/dir").file("data/dir/.wh..wh..opq", 0644, new byte[0])
                        .file("data/dir/c.txt", "c\n"));
        LayoutWriter writer = newLayout(tag);
        FixtureImage image = writeImage(writer, tag, "amd64", contents, Deflater.DEFAULT_COMPRESSION);
        writer.tag(image.manifest(), tag);
        writer.writeIndex();
        return image;
    }

    /**
     * Two images in one layout that share the busybox base layer byte for byte: the first adds
     * {@code app/a.txt}, the second {@code app/b.txt}. Returned in argument order.
     */
    public List<FixtureImage> withSharedBase(String tagA, String tagB) {
        LayoutWriter writer = newLayout(tagA + "+" + tagB);
        List<FixtureImage> images = new ArrayList<>();
        for (String[] spec : new String[][] {{tagA, "a"}, {tagB, "b"}}) {
            FixtureImage image = writeImage(writer, spec[0], "amd64", List.of(baseLayer(null),
                    new LayerContent("COPY " + spec[1] + ".txt /app/")
                            .dir("app").file("app/" + spec[1] + ".txt", spec[1] + "\n")),
                    Deflater.DEFAULT_COMPRESSION);
            writer.tag(image.manifest(), spec[0]);
            images.add(image);
        }
        writer.writeIndex();
        return List.copyOf(images);
    }

    /**
     * An image index with a linux/amd64 and a linux/arm64 image. Both carry the (amd64) busybox;
     * they differ in config {@code architecture} and in {@code etc/platform}, which holds
     * {@code "linux/amd64\n"} or {@code "linux/arm64\n"}.
     */
    public FixtureIndex multiPlatform(String tag) {
        LayoutWriter writer = newLayout(tag);
        List<FixtureImage> images = new ArrayList<>();
        ObjectNode index = json.createObjectNode().put("schemaVersion", 2).put("mediaType", INDEX);
        ArrayNode manifests = index.putArray("manifests");
        for (String architecture : List.of("amd64", "arm64")) {
            FixtureImage image = writeImage(writer, tag, architecture,
                    List.of(baseLayer("linux/" + architecture)), Deflater.DEFAULT_COMPRESSION);
            images.add(image);
            ObjectNode entry = manifests.addObject().put("mediaType", MANIFEST)
                    .put("digest", image.manifestDigest()).put("size", image.manifest().size());
            ObjectNode platform = entry.putObject("platform").put("architecture", architecture).put("os", "linux");
            if (architecture.equals("arm64")) {
                platform.put("variant", "v8");
            }
        }
        BlobRef indexBlob = writer.writeJson(INDEX, index);
        writer.tag(indexBlob, tag);
        writer.writeIndex();
        return new FixtureIndex(writer.layout(), tag, indexBlob, images);
    }

    /**
     * A benchmark image: the base layer plus {@code layers} layers of pseudo-random, incompressible
     * bytes ({@code data/blob-i.bin}), {@code megabytes} MiB in total, from a fixed seed. Compressed
     * at gzip level 1 to keep generation fast (about 3 s for 100 MiB on two shared cores).
     */
    public FixtureImage large(String tag, int megabytes, int layers) {
        if (layers < 1 || megabytes < layers) {
            throw new IllegalArgumentException("need at least one layer and one MiB per layer");
        }
        long total = (long) megabytes << 20;
        List<LayerContent> contents = new ArrayList<>(List.of(baseLayer(null)));
        for (int i = 1; i <= layers; i++) {
            long size = total / layers + (i == layers ? total % layers : 0);
            contents.add(new LayerContent("COPY blob-" + i + ".bin /data/")
                    .dir("data").randomFile("data/blob-" + i + ".bin", size, 0x5EED_0000L + i));
        }
        LayoutWriter writer = newLayout(tag);
        FixtureImage image = writeImage(writer, tag, "amd64", contents, Deflater.BEST_SPEED);
        writer.tag(image.manifest(), tag);
        writer.writeIndex();
        return image;
    }

    /** The host's static busybox binary, as baked into every fixture. */
    public static byte[] busyboxBinary() {
        byte[] bytes = busybox;
        if (bytes == null) {
            Path location = BUSYBOX_LOCATIONS.stream().filter(Files::isRegularFile).findFirst()
                    .orElseGet(() -> {
                        Requirements.require(false, "busybox is not installed (apt install busybox-static)");
                        throw new AssertionError("unreachable");
                    });
            try {
                bytes = Files.readAllBytes(location);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            busybox = bytes;
        }
        return bytes;
    }

    // ---- internals ----

    private LayoutWriter newLayout(String name) {
        String dirName = name.replaceAll("[^A-Za-z0-9._-]", "_") + "-" + COUNTER.incrementAndGet();
        return new LayoutWriter(root.resolve(dirName), json);
    }

    private static LayerContent baseLayer(String platformMarker) {
        LayerContent base = new LayerContent("ADD busybox-static /bin/busybox # and applet links, passwd, group")
                .dir("bin").file("bin/busybox", 0755, busyboxBinary());
        for (String applet : APPLETS) {
            base.symlink("bin/" + applet, "busybox");
        }
        base.dir("etc").file("etc/passwd", PASSWD).file("etc/group", GROUP);
        if (platformMarker != null) {
            base.file("etc/platform", platformMarker + "\n");
        }
        base.dir("root", 0700).dir("tmp", 01777);
        return base;
    }

    /** Writes layers, config and manifest; the caller tags the manifest (or an index over it). */
    private FixtureImage writeImage(LayoutWriter writer, String tag, String architecture,
            List<LayerContent> contents, int gzipLevel) {
        List<LayoutWriter.Layer> layers = contents.stream().map(c -> writer.writeLayer(c, gzipLevel)).toList();

        ObjectNode config = json.createObjectNode().put("created", LayoutWriter.EPOCH.toString())
                .put("architecture", architecture).put("os", "linux");
        if (architecture.equals("arm64")) {
            config.put("variant", "v8");
        }
        ObjectNode runtime = config.putObject("config");
        runtime.putArray("Env").add("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
        runtime.putArray("Cmd").add("sh");
        runtime.put("WorkingDir", "/");
        ObjectNode rootfs = config.putObject("rootfs").put("type", "layers");
        ArrayNode diffIds = rootfs.putArray("diff_ids");
        layers.forEach(l -> diffIds.add(l.diffId()));
        ArrayNode history = config.putArray("history");
        for (LayoutWriter.Layer layer : layers) {
            history.addObject().put("created", LayoutWriter.EPOCH.toString()).put("created_by", layer.createdBy());
        }
        history.addObject().put("created", LayoutWriter.EPOCH.toString())
                .put("created_by", "CMD [\"sh\"]").put("empty_layer", true);
        BlobRef configBlob = writer.writeJson(CONFIG, config);

        ObjectNode manifest = json.createObjectNode().put("schemaVersion", 2).put("mediaType", MANIFEST);
        manifest.set("config", descriptor(configBlob));
        ArrayNode layerArray = manifest.putArray("layers");
        layers.forEach(l -> layerArray.add(descriptor(l.blob())));
        BlobRef manifestBlob = writer.writeJson(MANIFEST, manifest);

        return new FixtureImage(writer.layout(), tag, manifestBlob, configBlob,
                layers.stream().map(LayoutWriter.Layer::blob).toList(),
                layers.stream().map(LayoutWriter.Layer::diffId).toList(),
                "linux", architecture, finalFiles(contents));
    }

    private ObjectNode descriptor(BlobRef blob) {
        return json.createObjectNode().put("mediaType", blob.mediaType()).put("digest", blob.digest())
                .put("size", blob.size());
    }

    /** Applies the layers' regular files and whiteouts in order: what an unpacked rootfs should hold. */
    private static Map<String, String> finalFiles(List<LayerContent> contents) {
        Map<String, String> files = new LinkedHashMap<>();
        for (LayerContent layer : contents) {
            for (LayerContent.Entry entry : layer.entries()) {
                String path = entry.path();
                String dir = path.contains("/") ? path.substring(0, path.lastIndexOf('/') + 1) : "";
                String name = path.substring(dir.length());
                if (name.equals(".wh..wh..opq")) {
                    files.keySet().removeIf(p -> p.startsWith(dir));
                } else if (name.startsWith(".wh.")) {
                    String victim = dir + name.substring(4);
                    files.keySet().removeIf(p -> p.equals(victim) || p.startsWith(victim + "/"));
                } else if (entry instanceof LayerContent.RegularFile f && !path.equals("bin/busybox")) {
                    files.put(path, new String(f.content(), StandardCharsets.UTF_8));
                }
            }
        }
        return files;
    }
}
