package dev.jcontainers.oci.layer;

import dev.jcontainers.api.StorageException;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Packs a directory, typically an overlayfs upper directory, into a layer: a deterministic tar (entries
 * sorted by name, depth first; numeric owners without names; PAX for long names, big numbers and xattrs,
 * xattr values byte for byte as Docker writes them;
 * whole-second mtimes, optionally clamped or fixed), compressed as asked. Overlay whiteouts (0:0 character
 * devices) become {@code .wh.NAME} entries and {@code trusted.overlay.opaque=y} a {@code .wh..wh..opq}
 * entry; other overlayfs bookkeeping xattrs are dropped. Files sharing an inode become hardlink entries to
 * the first name. Both digests are computed while writing.
 */
public final class LayerPacker {
    private static final int S_IFMT = 0170000;
    private static final int S_IFSOCK = 0140000;
    private static final int S_IFLNK = 0120000;
    private static final int S_IFREG = 0100000;
    private static final int S_IFBLK = 0060000;
    private static final int S_IFDIR = 0040000;
    private static final int S_IFCHR = 0020000;
    private static final int S_IFIFO = 0010000;
    private static final String UNIX_ATTRIBUTES = "unix:mode,uid,gid,ino,dev,rdev,nlink,size,lastModifiedTime";

    private final PackOptions options;

    public LayerPacker(PackOptions options) {
        this.options = Objects.requireNonNull(options, "options");
    }

    /** Packs the tree under {@code source} (its root itself is not an entry) into {@code sink}, left open. */
    public PackResult pack(Path source, OutputStream sink) {
        try {
            HashingOutputStream compressed = new HashingOutputStream(sink, false);
            HashingOutputStream tarBytes = new HashingOutputStream(options.compression().compress(compressed), true);
            try (TarArchiveOutputStream tar = new TarArchiveOutputStream(tarBytes, TarConstants.DEFAULT_RCDSIZE)) {
                // We write every PAX header ourselves (PaxHeaderWriter), with raw xattr values; Commons Compress
                // must never add one of its own (a second 'x' header would replace ours in Go's reader), so a
                // name that does not fit is an error and oversized numbers are base-256, shadowed by PAX.
                tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_ERROR);
                tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_STAR);
                tar.setAddPaxHeadersForNonAsciiNames(false);
                new Walk(tar).directory(source, "");
                tar.finish();
            }
            return new PackResult(tarBytes.digest(), tarBytes.count(), compressed.digest(), compressed.count(),
                    options.compression().mediaType());
        } catch (IOException e) {
            throw new StorageException("packing " + source + " into a layer: " + e.getMessage(), e);
        }
    }

    /** One packing run; remembers the first name of every multiply-linked inode. */
    private final class Walk {
        private final TarArchiveOutputStream tar;
        private final Map<String, String> firstNameByInode = new HashMap<>();

        Walk(TarArchiveOutputStream tar) {
            this.tar = tar;
        }

        void directory(Path dir, String prefix) throws IOException {
            List<Path> children;
            try (Stream<Path> list = Files.list(dir)) {
                children = list.sorted(Comparator.comparing(p -> p.getFileName().toString())).toList();
            }
            for (Path child : children) {
                child(child, prefix + child.getFileName());
            }
        }

        private void child(Path path, String name) throws IOException {
            Map<String, Object> unix = Files.readAttributes(path, UNIX_ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
            int mode = (Integer) unix.get("mode");
            switch (mode & S_IFMT) {
                case S_IFDIR -> {
                    byte[] opaqueValue = PosixFiles.getXattr(path, LayerUnpacker.OPAQUE_XATTR);
                    boolean opaque = opaqueValue != null && new String(opaqueValue, StandardCharsets.UTF_8).equals("y");
                    put(entry(name + "/", TarConstants.LF_DIR, unix), xattrs(path), null);
                    if (opaque) {
                        TarArchiveEntry marker = entry(name + "/" + LayerUnpacker.OPAQUE_MARKER, TarConstants.LF_NORMAL,
                                unix);
                        put(marker, null);
                    }
                    directory(path, name + "/");
                }
                case S_IFREG -> {
                    String inode = unix.get("dev") + ":" + unix.get("ino");
                    String first = (Integer) unix.get("nlink") > 1 ? firstNameByInode.putIfAbsent(inode, name) : null;
                    if (first != null) {
                        TarArchiveEntry link = entry(name, TarConstants.LF_LINK, unix);
                        link.setLinkName(first);
                        put(link, null);
                    } else {
                        TarArchiveEntry file = entry(name, TarConstants.LF_NORMAL, unix);
                        file.setSize((Long) unix.get("size"));
                        put(file, xattrs(path), path);
                    }
                }
                case S_IFLNK -> {
                    TarArchiveEntry link = entry(name, TarConstants.LF_SYMLINK, unix);
                    link.setLinkName(PosixFiles.readlink(path));
                    put(link, xattrs(path), null);
                }
                case S_IFCHR, S_IFBLK -> {
                    long rdev = (Long) unix.get("rdev");
                    if ((mode & S_IFMT) == S_IFCHR && rdev == 0) {
                        put(whiteout(path, name, unix), null);
                    } else {
                        TarArchiveEntry device = entry(name, (mode & S_IFMT) == S_IFCHR ? TarConstants.LF_CHR
                                : TarConstants.LF_BLK, unix);
                        device.setDevMajor((int) PosixFiles.major(rdev));
                        device.setDevMinor((int) PosixFiles.minor(rdev));
                        put(device, xattrs(path), null);
                    }
                }
                case S_IFIFO -> put(entry(name, TarConstants.LF_FIFO, unix), xattrs(path), null);
                case S_IFSOCK -> {
                    // tar cannot hold a socket, and one is meaningless without its process (Docker skips them too)
                }
                default -> throw new IOException("unknown file type " + Integer.toOctalString(mode) + " of " + path);
            }
        }

        /** An overlay whiteout as OCI spells it: an empty file {@code .wh.NAME}, mode 0600 as Docker writes it. */
        private TarArchiveEntry whiteout(Path path, String name, Map<String, Object> unix) {
            int slash = name.lastIndexOf('/');
            String marker = name.substring(0, slash + 1) + LayerUnpacker.WHITEOUT_PREFIX + path.getFileName();
            TarArchiveEntry entry = entry(marker, TarConstants.LF_NORMAL, unix);
            entry.setMode(0600);
            return entry;
        }

        private TarArchiveEntry entry(String name, byte type, Map<String, Object> unix) {
            TarArchiveEntry entry = new TarArchiveEntry(name, type);
            entry.setMode((Integer) unix.get("mode") & 07777);
            entry.setUserId((Integer) unix.get("uid"));
            entry.setGroupId((Integer) unix.get("gid"));
            entry.setUserName(""); // numeric owners only: names would be the packing host's, not the image's
            entry.setGroupName("");
            Instant mtime = ((FileTime) unix.get("lastModifiedTime")).toInstant();
            entry.setLastModifiedTime(FileTime.from(options.mtimeSeconds(mtime), TimeUnit.SECONDS));
            return entry;
        }

        private void put(TarArchiveEntry entry, Path content) throws IOException {
            put(entry, Map.of(), content);
        }

        private void put(TarArchiveEntry entry, Map<String, byte[]> xattrs, Path content) throws IOException {
            PaxHeaderWriter.writeFor(tar, entry, xattrs);
            tar.putArchiveEntry(entry);
            if (content != null) {
                try (InputStream in = Files.newInputStream(content, LinkOption.NOFOLLOW_LINKS)) {
                    long copied = in.transferTo(tar);
                    if (copied != entry.getSize()) {
                        throw new IOException(content + " changed size while being packed");
                    }
                }
            }
            tar.closeArchiveEntry();
        }

        /**
         * The xattrs worth carrying into an image: all but the host's SELinux label and overlayfs's own
         * bookkeeping (opaque is turned into its marker entry; origin, impure and the like are host-specific).
         */
        private Map<String, byte[]> xattrs(Path path) throws IOException {
            Map<String, byte[]> xattrs = new TreeMap<>();
            for (String name : PosixFiles.listXattrs(path)) {
                if (name.equals("security.selinux") || name.startsWith(LayerUnpacker.OVERLAY_XATTR_PREFIX)) {
                    continue;
                }
                byte[] value = PosixFiles.getXattr(path, name);
                if (value != null) {
                    xattrs.put(name, value);
                }
            }
            return xattrs;
        }
    }
}
