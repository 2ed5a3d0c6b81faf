package dev.jcontainers.oci.layer;

import dev.jcontainers.api.MalformedContentException;
import dev.jcontainers.api.UnsafeLayerEntryException;
import dev.jcontainers.oci.image.MediaTypes;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.BeforeProperty;
import net.jqwik.api.statistics.Statistics;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarConstants;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Random tar streams built from a tiny alphabet rich in {@code ..}, {@code .}, slashes, escaping symlinks
 * and hardlinks: whatever the unpacker does with one (unpack it or reject it with a typed error), nothing
 * outside the layer directory changes, and a rejected layer leaves no directory behind.
 */
class HostileLayerProperties {
    private static final List<String> COMPONENTS = List.of("a", "b", "..", ".", "", ".wh.a", ".wh..wh..opq");
    private static final List<String> LINK_TARGETS =
            List.of("..", "/", "../outside", "../outside/x", "a", "b/..", "/etc/passwd", "../../x", "a/../..", ".");

    enum Kind { FILE, DIR, SYMLINK, HARDLINK, CHAR, BLOCK, FIFO }

    record Spec(Kind kind, String name, String link) {
        TarArchiveEntry entry() {
            byte flag = switch (kind) {
                case FILE -> TarConstants.LF_NORMAL;
                case DIR -> TarConstants.LF_DIR;
                case SYMLINK -> TarConstants.LF_SYMLINK;
                case HARDLINK -> TarConstants.LF_LINK;
                case CHAR -> TarConstants.LF_CHR;
                case BLOCK -> TarConstants.LF_BLK;
                case FIFO -> TarConstants.LF_FIFO;
            };
            TarArchiveEntry entry = TarBuilder.entry(name.isEmpty() ? "." : name, flag);
            entry.setMode(kind == Kind.DIR ? 0755 : 0644);
            if (kind == Kind.SYMLINK || kind == Kind.HARDLINK) {
                entry.setLinkName(link);
            }
            if (kind == Kind.CHAR || kind == Kind.BLOCK) {
                entry.setDevMajor(link.length() % 2); // sometimes 0:0, the whiteout form
                entry.setDevMinor(0);
            }
            return entry;
        }
    }

    private boolean root;

    @BeforeProperty
    void detectRoot() {
        root = PosixFiles.isRoot();
    }

    @Provide
    Arbitrary<List<Spec>> layers() {
        Arbitrary<String> name = Arbitraries.of(COMPONENTS).list().ofMinSize(1).ofMaxSize(3)
                .map(parts -> String.join("/", parts))
                .flatMap(n -> Arbitraries.of(n, "/" + n, n + "/"));
        Arbitrary<String> link = Arbitraries.oneOf(Arbitraries.of(LINK_TARGETS), name);
        Arbitrary<Spec> spec = Combinators.combine(Arbitraries.of(Kind.class), name, link).as(Spec::new);
        return spec.list().ofMinSize(1).ofMaxSize(8);
    }

    @Property(tries = 2000)
    void nothingOutsideTheLayerChanges(@ForAll("layers") List<Spec> specs, @ForAll boolean allowDevices)
            throws IOException {
        Path parent = Files.createTempDirectory("hostile-layer-");
        try {
            Path outside = parent.resolve("outside");
            Files.createDirectories(outside.resolve("etc"));
            Files.writeString(outside.resolve("etc/passwd"), "root:x:0:0");
            Files.writeString(outside.resolve("x"), "sentinel");
            PosixFiles.symlink("../outside", outside.resolve("loop"));
            Outside before = Outside.snapshot(parent);

            TarBuilder builder = new TarBuilder();
            specs.forEach(spec -> builder.add(spec.entry()));
            byte[] tar = builder.tar();
            Path target = parent.resolve("layer");
            String outcome;
            try {
                new LayerUnpacker(new UnpackOptions(0, 0, allowDevices, root)).unpack(new ByteArrayInputStream(tar),
                        MediaTypes.OCI_LAYER, TarBuilder.diffId(tar), target);
                outcome = "unpacked";
                assertThat(target).isDirectory();
                LayerUnpacker.deleteTree(target);
            } catch (UnsafeLayerEntryException e) {
                outcome = "unsafe";
                assertThat(specs.stream().map(spec -> stripSlash(spec.entry().getName())))
                        .as("the error names an entry of the layer").contains(stripSlash(e.entryName()));
            } catch (MalformedContentException e) {
                outcome = "malformed";
            }
            Statistics.collect(outcome);
            before.assertUnchanged();
        } finally {
            LayerUnpacker.deleteTree(parent);
        }
    }

    private static String stripSlash(String name) {
        return name.endsWith("/") ? name.substring(0, name.length() - 1) : name;
    }
}
