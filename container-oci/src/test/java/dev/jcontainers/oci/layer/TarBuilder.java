package dev.jcontainers.oci.layer;

import dev.jcontainers.oci.image.Digest;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPOutputStream;

/** Writes tar streams entry by entry for tests, including ones no well-behaved tool would write. */
final class TarBuilder {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes);

    TarBuilder() {
        this(TarArchiveOutputStream.LONGFILE_POSIX);
    }

    TarBuilder(int longFileMode) {
        tar.setLongFileMode(longFileMode);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
    }

    /** An entry with the name exactly as given (Commons Compress would otherwise strip a leading '/'). */
    static TarArchiveEntry entry(String name, byte type) {
        TarArchiveEntry entry = new TarArchiveEntry(name, type, true);
        entry.setUserName("");
        entry.setGroupName("");
        entry.setModTime(1_700_000_000_000L);
        return entry;
    }

    TarBuilder add(TarArchiveEntry entry, byte[] content) {
        try {
            entry.setSize(content.length);
            tar.putArchiveEntry(entry);
            tar.write(content);
            tar.closeArchiveEntry();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    TarBuilder add(TarArchiveEntry entry) {
        return add(entry, new byte[0]);
    }

    TarBuilder file(String name, String content) {
        TarArchiveEntry entry = entry(name, TarConstants.LF_NORMAL);
        entry.setMode(0644);
        return add(entry, content.getBytes(StandardCharsets.UTF_8));
    }

    TarBuilder dir(String name) {
        TarArchiveEntry entry = entry(name.endsWith("/") ? name : name + "/", TarConstants.LF_DIR);
        entry.setMode(0755);
        return add(entry);
    }

    TarBuilder symlink(String name, String target) {
        TarArchiveEntry entry = entry(name, TarConstants.LF_SYMLINK);
        entry.setMode(0777);
        entry.setLinkName(target);
        return add(entry);
    }

    TarBuilder hardlink(String name, String target) {
        TarArchiveEntry entry = entry(name, TarConstants.LF_LINK);
        entry.setMode(0644);
        entry.setLinkName(target);
        return add(entry);
    }

    TarBuilder device(String name, byte type, int major, int minor) {
        TarArchiveEntry entry = entry(name, type);
        entry.setMode(0600);
        entry.setDevMajor(major);
        entry.setDevMinor(minor);
        return add(entry);
    }

    byte[] tar() {
        try {
            tar.finish();
            tar.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static byte[] gzip(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    static Digest diffId(byte[] tar) {
        return Digest.sha256(tar);
    }
}
