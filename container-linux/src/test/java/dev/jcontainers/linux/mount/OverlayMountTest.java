package dev.jcontainers.linux.mount;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jcontainers.linux.ffm.LinuxException;
import dev.jcontainers.linux.ffm.Mount;
import dev.jcontainers.linux.ffm.Stat;
import dev.jcontainers.linux.ffm.Xattr;
import dev.jcontainers.linux.mount.OverlayMount.Method;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Real overlay mounts as root, through both ways of passing the layers to the kernel. */
class OverlayMountTest {
    private MountSandbox box;
    private Path upper;
    private Path work;
    private Path merged;

    @BeforeEach
    void setUp() throws IOException {
        box = MountSandbox.create();
        upper = box.dir("upper");
        work = box.dir("work");
        merged = box.dir("merged");
    }

    @AfterEach
    void tearDown() {
        if (box != null) {
            box.close();
        }
    }

    /** Three layers, top first: "shared" in each (top wins), "middle-only" and "bottom-only" once. */
    private List<Path> threeLayers() throws IOException {
        box.write("layers/bottom/shared", "bottom");
        box.write("layers/bottom/bottom-only", "from bottom");
        box.write("layers/middle/shared", "middle");
        box.write("layers/middle/middle-only", "from middle");
        box.write("layers/top/shared", "top");
        return List.of(box.root().resolve("layers/top"), box.root().resolve("layers/middle"),
                box.root().resolve("layers/bottom"));
    }

    @ParameterizedTest
    @EnumSource(names = {"LOWERDIR_PLUS", "MOUNT_DATA"})
    void mergedViewShowsTheTopMostVersionOfEachFile(Method method) throws IOException {
        try (OverlayMount overlay = OverlayMount.mount(threeLayers(), upper, work, merged, method)) {
            assertThat(overlay.method()).isEqualTo(method);
            assertThat(Files.readString(merged.resolve("shared"))).isEqualTo("top");
            assertThat(Files.readString(merged.resolve("middle-only"))).isEqualTo("from middle");
            assertThat(Files.readString(merged.resolve("bottom-only"))).isEqualTo("from bottom");
            assertThat(Stat.statfs(merged).type()).isEqualTo(Stat.OVERLAYFS_SUPER_MAGIC);
            assertThat(Stat.statfs(merged).isOverlay()).isTrue();

            MountInfo info = Mounts.find(merged).orElseThrow();
            assertThat(info.fsType()).isEqualTo("overlay");
            assertThat(info.mountPoint()).isEqualTo(merged);
        }
        assertThat(Mounts.isMountPoint(merged)).isFalse();
        assertThat(MountInfo.self()).noneMatch(m -> m.mountPoint().equals(merged));
        assertThat(Stat.statfs(merged).isOverlay()).isFalse();
    }

    @Test
    void aVolatileOverlayIsMountedAgainOnlyOnceItsMarkIsCleared() throws IOException {
        try (OverlayMount ignored = OverlayMount.mountVolatile(threeLayers(), upper, work, merged)) {
            Files.writeString(merged.resolve("written"), "in upper");
            assertThat(isVolatile(Mounts.find(merged).orElseThrow())).isTrue();
        }
        assertThat(Files.readString(upper.resolve("written"))).isEqualTo("in upper");
        // the kernel's guard against an upper directory a crash may have left half written
        assertThatThrownBy(() -> OverlayMount.mount(threeLayers(), upper, work, merged)).isInstanceOf(LinuxException.class);
        assertThat(Mounts.isMountPoint(merged)).isFalse();

        OverlayMount.clearVolatileMark(work);
        try (OverlayMount ignored = OverlayMount.mount(threeLayers(), upper, work, merged)) {
            assertThat(Files.readString(merged.resolve("written"))).isEqualTo("in upper");
            assertThat(isVolatile(Mounts.find(merged).orElseThrow())).isFalse();
        }
        OverlayMount.clearVolatileMark(work); // no mark: nothing to do
    }

    /** Linux shows the option as {@code volatile}, since 6.15 as {@code fsync=volatile}. */
    static boolean isVolatile(MountInfo overlay) {
        return List.of(overlay.superOptions().split(",")).stream().anyMatch(o -> o.equals("volatile") || o.equals("fsync=volatile"));
    }

    @ParameterizedTest
    @EnumSource(names = {"LOWERDIR_PLUS", "MOUNT_DATA"})
    void writingALowerFileCopiesItUpAndLeavesTheLayerUntouched(Method method) throws IOException {
        List<Path> layers = threeLayers();
        try (OverlayMount ignored = OverlayMount.mount(layers, upper, work, merged, method)) {
            Files.writeString(merged.resolve("bottom-only"), "changed");
            Files.writeString(merged.resolve("new-file"), "new");

            assertThat(Files.readString(merged.resolve("bottom-only"))).isEqualTo("changed");
            assertThat(Files.readString(upper.resolve("bottom-only"))).isEqualTo("changed");
            assertThat(Files.readString(upper.resolve("new-file"))).isEqualTo("new");
        }
        assertThat(Files.readString(layers.get(2).resolve("bottom-only"))).isEqualTo("from bottom");
        assertThat(layers.get(0).resolve("new-file")).doesNotExist();
    }

    @ParameterizedTest
    @EnumSource(names = {"LOWERDIR_PLUS", "MOUNT_DATA"})
    void deletingALowerFileLeavesAWhiteoutInUpper(Method method) throws IOException {
        List<Path> layers = threeLayers();
        try (OverlayMount ignored = OverlayMount.mount(layers, upper, work, merged, method)) {
            Files.delete(merged.resolve("middle-only"));
            assertThat(merged.resolve("middle-only")).doesNotExist();
            try (Stream<Path> listing = Files.list(merged)) {
                assertThat(listing.map(p -> p.getFileName().toString())).doesNotContain("middle-only");
            }
        }
        Path whiteout = upper.resolve("middle-only");
        assertThat(Files.getAttribute(whiteout, "unix:mode", java.nio.file.LinkOption.NOFOLLOW_LINKS))
                .satisfies(mode -> assertThat(((Integer) mode) & 0170000).as("S_IFCHR").isEqualTo(0020000));
        assertThat(Files.getAttribute(whiteout, "unix:rdev")).as("device 0:0").isEqualTo(0L);
        assertThat(Files.readString(layers.get(1).resolve("middle-only"))).isEqualTo("from middle");
    }

    @ParameterizedTest
    @EnumSource(names = {"LOWERDIR_PLUS", "MOUNT_DATA"})
    void anOpaqueDirectoryHidesTheLayersBelowIt(Method method) throws IOException {
        List<Path> layers = threeLayers();
        box.write("layers/bottom/etc/from-bottom", "hidden");
        box.write("layers/middle/etc/from-middle", "visible");
        box.write("layers/top/etc/from-top", "visible");
        Xattr.set(layers.get(1).resolve("etc"), Xattr.OVERLAY_OPAQUE, "y".getBytes(StandardCharsets.US_ASCII));

        try (OverlayMount ignored = OverlayMount.mount(layers, upper, work, merged, method);
                Stream<Path> listing = Files.list(merged.resolve("etc"))) {
            assertThat(listing.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder("from-middle", "from-top");
        }
    }

    @ParameterizedTest
    @EnumSource(names = {"LOWERDIR_PLUS", "MOUNT_DATA"})
    void aReadOnlyOverlayHasNoUpperAndRefusesWrites(Method method) throws IOException {
        try (OverlayMount ignored = OverlayMount.mountReadOnly(threeLayers(), merged, method)) {
            assertThat(Files.readString(merged.resolve("shared"))).isEqualTo("top");
            assertThat(Stat.statfs(merged).isOverlay()).isTrue();
            assertThat(Stat.statfs(merged).isReadOnly()).isTrue();
            assertThatThrownBy(() -> Files.writeString(merged.resolve("shared"), "x"))
                    .isInstanceOf(FileSystemException.class).hasMessageContaining("Read-only file system");
        }
        assertThat(Mounts.isMountPoint(merged)).isFalse();
    }

    @Test
    void aReadOnlyViewOfOneLayerIsAReadOnlyBindMount() throws IOException {
        box.write("single/file", "only layer");
        try (OverlayMount view = OverlayMount.mountReadOnly(List.of(box.root().resolve("single")), merged)) {
            assertThat(view.method()).isEqualTo(Method.READ_ONLY_BIND);
            assertThat(Files.readString(merged.resolve("file"))).isEqualTo("only layer");
            assertThat(Mounts.find(merged).orElseThrow().isReadOnly()).isTrue();
            assertThatThrownBy(() -> Files.writeString(merged.resolve("file"), "x"))
                    .isInstanceOf(FileSystemException.class);
        }
        assertThat(Files.readString(box.root().resolve("single/file"))).isEqualTo("only layer");
    }

    @ParameterizedTest
    @EnumSource(names = {"LOWERDIR_PLUS", "MOUNT_DATA"})
    void oneHundredTwentyEightLayersWithLongPathsMount(Method method) throws IOException {
        List<Path> layers = manyLayers(128);
        assertThat(OverlayMount.mountData(layers, upper, work).length())
                .as("the plain mount(2) data would not fit a page").isGreaterThan(4096);

        try (OverlayMount overlay = OverlayMount.mount(layers, upper, work, merged, method)) {
            assertThat(overlay.method()).isEqualTo(method);
            assertThat(Files.readString(merged.resolve("who"))).as("top-most layer wins").isEqualTo("0");
            for (int i = 0; i < layers.size(); i++) {
                assertThat(Files.readString(merged.resolve("f" + i))).isEqualTo("layer " + i);
            }
            if (method == Method.MOUNT_DATA) {
                String lowerdir = Mounts.find(merged).orElseThrow().superOption("lowerdir").orElseThrow();
                assertThat(lowerdir).as("short link names were used").doesNotContain("layers-by-digest");
            }
            Files.writeString(merged.resolve("f127"), "written");
            assertThat(Files.readString(upper.resolve("f127"))).isEqualTo("written");
        }
        assertThat(Mounts.isMountPoint(merged)).isFalse();
    }

    @Test
    void thePlainDataStringOf128LongLayersIsTruncatedByMount2() throws IOException {
        List<Path> layers = manyLayers(128);
        String data = OverlayMount.mountData(layers, upper, work);
        // The kernel keeps the first 4095 bytes; the cut falls inside a layer name, which does not exist.
        String kept = data.substring(0, OverlayMount.MAX_MOUNT_DATA);
        String lastKept = kept.substring(kept.lastIndexOf(':') + 1);
        assertThat(Path.of(lastKept)).as("precondition: truncated path is not a directory").doesNotExist();

        assertThatThrownBy(() -> Mount.mount("overlay", merged, "overlay", 0, data))
                .isInstanceOf(LinuxException.class).hasMessageContaining("mount(");
        assertThat(Mounts.isMountPoint(merged)).isFalse();
    }

    @Test
    void mountDataEscapesSeparatorsInPaths() throws IOException {
        box.write("odd:dir,name/a", "lower a");
        box.write("lower2/b", "lower b");
        List<Path> layers = List.of(box.root().resolve("odd:dir,name"), box.root().resolve("lower2"));
        try (OverlayMount ignored = OverlayMount.mount(layers, upper, work, merged, Method.MOUNT_DATA)) {
            assertThat(Files.readString(merged.resolve("a"))).isEqualTo("lower a");
            assertThat(Files.readString(merged.resolve("b"))).isEqualTo("lower b");
        }
    }

    @Test
    void autoUsesLowerdirPlusOnKernelsFrom6Point8() throws IOException {
        String[] release = Files.readString(Path.of("/proc/sys/kernel/osrelease")).trim().split("[.-]");
        int major = Integer.parseInt(release[0]);
        int minor = Integer.parseInt(release[1]);
        boolean expected = major > 6 || (major == 6 && minor >= 8);
        assertThat(OverlayMount.supportsLowerdirPlus()).isEqualTo(expected);
        try (OverlayMount overlay = OverlayMount.mount(threeLayers(), upper, work, merged)) {
            assertThat(overlay.method()).isEqualTo(expected ? Method.LOWERDIR_PLUS : Method.MOUNT_DATA);
        }
    }

    @Test
    void aMissingLayerFailsWithTheKernelsReason() throws IOException {
        List<Path> layers = new ArrayList<>(threeLayers());
        layers.add(box.root().resolve("no-such-layer"));
        assertThatThrownBy(() -> OverlayMount.mount(layers, upper, work, merged, Method.LOWERDIR_PLUS))
                .isInstanceOf(LinuxException.class)
                .hasMessageContaining("lowerdir+=" + box.root().resolve("no-such-layer"))
                .satisfies(e -> assertThat(((LinuxException) e).errno()).isEqualTo(2));
        assertThat(Mounts.isMountPoint(merged)).isFalse();
    }

    /** Layers below a deep directory so the absolute paths are long; layer i holds f<i> and "who"=i. */
    private List<Path> manyLayers(int count) throws IOException {
        Path deep = box.dir("a-rather-long-directory-name-standing-in-for-a-content-store-root/"
                + "and-another-level-for-good-measure/layers-by-digest");
        List<Path> layers = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Path layer = Files.createDirectories(deep.resolve("sha256-%064d".formatted(i)));
            Files.writeString(layer.resolve("f" + i), "layer " + i);
            Files.writeString(layer.resolve("who"), Integer.toString(i));
            layers.add(layer);
        }
        return layers;
    }
}
