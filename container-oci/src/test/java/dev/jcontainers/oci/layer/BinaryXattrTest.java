package dev.jcontainers.oci.layer;

import dev.jcontainers.oci.image.MediaTypes;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.SequencedMap;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Binary xattr values (Docker writes {@code SCHILY.xattr.security.capability} as the raw vfs_cap_data struct)
 * survive unpack and pack byte for byte.
 */
class BinaryXattrTest {
    /**
     * What {@code setcap cap_net_raw,cap_setfcap+ep} stores: VFS_CAP_REVISION_2 | effective, permitted bit 13
     * and bit 31. The 0x80 byte is not valid UTF-8 on its own.
     */
    static final byte[] CAPABILITY = {1, 0, 0, 2, 0, 0x20, 0, (byte) 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
    /** Every byte value, '\n' and '=' included. */
    static final byte[] ALL_BYTES = new byte[256];

    static {
        for (int i = 0; i < 256; i++) {
            ALL_BYTES[i] = (byte) i;
        }
    }

    @TempDir
    Path work;

    @Test
    void unpacksRawSchilyValuesAsDockerWritesThemAndPacksThemBackTheSame() throws IOException {
        Root.require();
        byte[] layer = dockerStyleLayer();
        Path unpacked = work.resolve("unpacked");
        new LayerUnpacker(UnpackOptions.defaults()).unpack(new ByteArrayInputStream(layer), MediaTypes.OCI_LAYER,
                TarBuilder.diffId(layer), unpacked);
        assertThat(PosixFiles.getXattr(unpacked.resolve("bin/ping"), "security.capability")).isEqualTo(CAPABILITY);
        assertThat(PosixFiles.getXattr(unpacked.resolve("bin/ping"), "user.blob")).isEqualTo(ALL_BYTES);
        assertThat(Files.readString(unpacked.resolve("bin/ping"))).isEqualTo("ping");

        ByteArrayOutputStream repacked = new ByteArrayOutputStream();
        PackResult packed = new LayerPacker(PackOptions.of(LayerCompression.NONE)).pack(unpacked, repacked);
        byte[] tar = repacked.toByteArray();
        assertThat(indexOf(tar, concat("SCHILY.xattr.security.capability=".getBytes(StandardCharsets.US_ASCII),
                CAPABILITY, new byte[] {'\n'}))).as("raw record in the packed tar").isPositive();

        Path again = work.resolve("again");
        new LayerUnpacker(UnpackOptions.defaults()).unpack(new ByteArrayInputStream(tar), MediaTypes.OCI_LAYER,
                packed.diffId(), again);
        assertThat(TreeSnapshot.of(again)).isEqualTo(TreeSnapshot.of(unpacked));
    }

    @Test
    void aCapabilitySetBySetcapSurvivesOurPackAndGnuTarReadsItBack() throws Exception {
        Root.require();
        if (!tool("setcap") || !tool("getcap")) {
            String reason = "setcap/getcap (libcap2-bin) not installed";
            if ("true".equals(System.getenv("CI"))) {
                throw new AssertionError("CI=true but " + reason);
            }
            System.out.println("SKIPPED: " + reason);
            org.junit.jupiter.api.Assumptions.abort(reason);
        }
        Path source = work.resolve("source");
        Files.createDirectories(source.resolve("bin"));
        Files.writeString(source.resolve("bin/ping"), "ping");
        run("setcap", "cap_net_raw,cap_setfcap+ep", source.resolve("bin/ping").toString());
        byte[] set = PosixFiles.getXattr(source.resolve("bin/ping"), "security.capability");

        Path tarFile = work.resolve("layer.tar");
        try (var out = Files.newOutputStream(tarFile)) {
            new LayerPacker(PackOptions.of(LayerCompression.NONE)).pack(source, out);
        }
        Path gnu = Files.createDirectories(work.resolve("gnu"));
        run("tar", "--xattrs", "--xattrs-include=*", "-xpf", tarFile.toString(), "-C", gnu.toString());
        assertThat(PosixFiles.getXattr(gnu.resolve("bin/ping"), "security.capability")).isEqualTo(set);
        assertThat(run("getcap", gnu.resolve("bin/ping").toString())).contains("cap_net_raw,cap_setfcap=ep");

        Path ours = work.resolve("ours");
        byte[] bytes = Files.readAllBytes(tarFile);
        new LayerUnpacker(UnpackOptions.defaults()).unpack(new ByteArrayInputStream(bytes), MediaTypes.OCI_LAYER,
                TarBuilder.diffId(bytes), ours);
        assertThat(run("getcap", ours.resolve("bin/ping").toString())).contains("cap_net_raw,cap_setfcap=ep");
    }

    /** A layer whose extended header is written byte by byte as Docker's archive/tar does, not by Commons. */
    private static byte[] dockerStyleLayer() throws IOException {
        SequencedMap<String, byte[]> records = new LinkedHashMap<>();
        records.put("SCHILY.xattr.security.capability", CAPABILITY);
        records.put("SCHILY.xattr.user.blob", ALL_BYTES);
        byte[] pax = PaxRecords.encode(records);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
            tar.putArchiveEntry(plain("bin/", TarConstants.LF_DIR, 0755, 0));
            tar.closeArchiveEntry();
            tar.putArchiveEntry(plain("PaxHeaders.0/ping", TarConstants.LF_PAX_EXTENDED_HEADER_LC, 0644, pax.length));
            tar.write(pax);
            tar.closeArchiveEntry();
            tar.putArchiveEntry(plain("bin/ping", TarConstants.LF_NORMAL, 0755, 4));
            tar.write("ping".getBytes(StandardCharsets.US_ASCII));
            tar.closeArchiveEntry();
        }
        return bytes.toByteArray();
    }

    private static TarArchiveEntry plain(String name, byte type, int mode, long size) {
        TarArchiveEntry entry = TarBuilder.entry(name, type);
        entry.setMode(mode);
        entry.setSize(size);
        return entry;
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            if (Arrays.equals(haystack, i, i + needle.length, needle, 0, needle.length)) {
                return i;
            }
        }
        return -1;
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    private static boolean tool(String name) {
        return List.of("/usr/sbin/", "/usr/bin/", "/sbin/", "/bin/").stream()
                .anyMatch(dir -> Files.isExecutable(Path.of(dir + name)));
    }

    private static String run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " failed: " + output);
        }
        return output;
    }
}
