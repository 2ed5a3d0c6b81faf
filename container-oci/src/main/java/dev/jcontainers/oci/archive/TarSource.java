package dev.jcontainers.oci.archive;

import dev.jcontainers.api.MalformedContentException;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarFile;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.Map;

/**
 * A tar archive read with random access ({@link TarFile}), so that {@code manifest.json} can be read before
 * the layers wherever it sits. A gzip-compressed archive ({@code docker save | gzip}) is decompressed into a
 * temp file first. Every entry name is checked up front; links are resolved inside the archive only.
 */
final class TarSource implements ArchiveSource {
    private static final int MAX_LINK_HOPS = 16;

    private final TarFile tar;
    private final Path decompressed;
    private final Map<String, TarArchiveEntry> entries = new HashMap<>();
    private final Map<String, String> links = new HashMap<>();

    private TarSource(TarFile tar, Path decompressed) {
        this.tar = tar;
        this.decompressed = decompressed;
    }

    static TarSource open(Path file, Path tempDir) throws IOException {
        Path decompressed = null;
        Path readable = file;
        if (isGzip(file)) {
            decompressed = Files.createTempFile(tempDir, "load-", ".tar");
            try (InputStream in = new GzipCompressorInputStream(new BufferedInputStream(Files.newInputStream(file)),
                    true)) {
                Files.copy(in, decompressed, StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException e) {
                Files.deleteIfExists(decompressed);
                throw new MalformedContentException("archive " + file + " is not valid gzip: " + e.getMessage(), e);
            }
            readable = decompressed;
        }
        TarFile tar;
        try {
            tar = new TarFile(readable);
        } catch (IOException | RuntimeException e) {
            if (decompressed != null) {
                Files.deleteIfExists(decompressed);
            }
            throw new MalformedContentException("archive " + file + " is not a readable tar file: " + e.getMessage(),
                    e);
        }
        TarSource source = new TarSource(tar, decompressed);
        try {
            source.index();
        } catch (RuntimeException e) {
            source.close();
            throw e;
        }
        return source;
    }

    private static boolean isGzip(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] magic = in.readNBytes(2);
            return magic.length == 2 && (magic[0] & 0xff) == 0x1f && (magic[1] & 0xff) == 0x8b;
        }
    }

    private void index() {
        for (TarArchiveEntry e : tar.getEntries()) {
            String name = ArchivePaths.normalize(e.getName());
            if (e.isDirectory() || name.isEmpty()) {
                continue;
            }
            if (e.isSymbolicLink()) {
                links.put(name, ArchivePaths.resolveLink(name, e.getLinkName()));
            } else if (e.isLink()) {
                links.put(name, ArchivePaths.normalize(e.getLinkName()));
            } else if (e.isFile()) {
                entries.put(name, e);
            } else {
                throw new MalformedContentException("archive entry \"" + e.getName()
                        + "\" is neither a file, a directory nor a link");
            }
        }
    }

    private TarArchiveEntry entry(String name) {
        String current = ArchivePaths.normalize(name);
        for (int hop = 0; hop <= MAX_LINK_HOPS; hop++) {
            TarArchiveEntry e = entries.get(current);
            if (e != null) {
                return e;
            }
            String next = links.get(current);
            if (next == null) {
                return null;
            }
            current = next;
        }
        throw new MalformedContentException("archive entry \"" + name + "\": too many levels of links");
    }

    @Override
    public boolean exists(String name) {
        return entry(name) != null;
    }

    @Override
    public InputStream open(String name) throws IOException {
        TarArchiveEntry e = entry(name);
        if (e == null) {
            throw ArchiveSource.missing(name);
        }
        return tar.getInputStream(e);
    }

    @Override
    public long size(String name) {
        TarArchiveEntry e = entry(name);
        if (e == null) {
            throw ArchiveSource.missing(name);
        }
        return e.getSize();
    }

    @Override
    public void close() throws IOException {
        try {
            tar.close();
        } finally {
            if (decompressed != null) {
                Files.deleteIfExists(decompressed);
            }
        }
    }
}
