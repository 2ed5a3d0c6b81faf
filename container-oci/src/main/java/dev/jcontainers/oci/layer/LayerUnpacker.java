package dev.jcontainers.oci.layer;

import dev.jcontainers.api.DigestMismatchException;
import dev.jcontainers.api.MalformedContentException;
import dev.jcontainers.api.StorageException;
import dev.jcontainers.api.UnsafeLayerEntryException;
import dev.jcontainers.oci.image.Digest;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Unpacks one layer blob into its own directory, ready to serve as an overlayfs lower directory.
 *
 * <p>OCI whiteouts become overlayfs's native form ({@code .wh.NAME} a 0:0 character device {@code NAME},
 * {@code .wh..wh..opq} the xattr {@code trusted.overlay.opaque=y} on its directory). Every entry is
 * confined to the target: names with {@code ..} are refused, parents are walked without following
 * symlinks and must be real directories of this layer, hardlinks must point at earlier entries of this
 * layer. The sha256 of the uncompressed stream is computed in the same pass and must equal the diff ID.
 * The layer is built in a temporary sibling directory and renamed into place only when all of that held;
 * on any failure the temporary directory is removed and the target never appears.
 *
 * <p>Xattrs come from the raw PAX bytes ({@link RawPaxTarInputStream}), so binary values such as
 * {@code security.capability} are restored byte for byte.
 */
public final class LayerUnpacker {
    static final String WHITEOUT_PREFIX = ".wh.";
    static final String OPAQUE_MARKER = ".wh..wh..opq";
    static final String OPAQUE_XATTR = "trusted.overlay.opaque";
    static final String OVERLAY_XATTR_PREFIX = "trusted.overlay.";
    static final String SCHILY_XATTR = "SCHILY.xattr.";
    static final String LIBARCHIVE_XATTR = "LIBARCHIVE.xattr.";
    private static final long MAX_ID = 0xFFFF_FFFEL;
    private static final int DEFAULT_DIR_MODE = 0755;
    private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;

    private final UnpackOptions options;

    public LayerUnpacker(UnpackOptions options) {
        this.options = Objects.requireNonNull(options, "options");
    }

    /**
     * Unpacks {@code blob} (read to its end, not closed) into {@code target}, which must not exist yet.
     *
     * @throws dev.jcontainers.api.UnsupportedMediaTypeException for a media type that is not a layer
     * @throws DigestMismatchException    when the uncompressed stream does not hash to {@code diffId}
     * @throws UnsafeLayerEntryException  for an entry that would leave the target or is forbidden
     * @throws MalformedContentException  for a corrupt or truncated stream
     * @throws StorageException           when the filesystem fails or the target already exists
     */
    public UnpackResult unpack(InputStream blob, String mediaType, Digest diffId, Path target) {
        LayerCompression compression = LayerCompression.forMediaType(mediaType);
        Objects.requireNonNull(diffId, "diffId");
        Path destination = target.toAbsolutePath().normalize();
        if (Files.exists(destination, NOFOLLOW)) {
            throw new StorageException("layer directory already exists: " + destination);
        }
        Path temp;
        try {
            Files.createDirectories(destination.getParent());
            temp = Files.createTempDirectory(destination.getParent(), "." + destination.getFileName() + ".unpacking-");
        } catch (IOException e) {
            throw new StorageException("cannot create a directory beside " + destination + ": " + e.getMessage(), e);
        }
        try {
            UnpackResult result = new Extraction(temp, diffId).run(compression, blob);
            Files.move(temp, destination, StandardCopyOption.ATOMIC_MOVE);
            return result;
        } catch (IOException e) {
            throw removing(temp, new StorageException("unpacking layer " + diffId + " into " + destination + ": "
                    + e.getMessage(), e));
        } catch (RuntimeException e) {
            throw removing(temp, e);
        } catch (Error e) {
            throw removing(temp, e);
        }
    }

    private static <T extends Throwable> T removing(Path temp, T failure) {
        try {
            deleteTree(temp);
        } catch (RuntimeException e) {
            failure.addSuppressed(e);
        }
        return failure;
    }

    /** One unpack run: the tree being built and what must still be done to its directories. */
    private final class Extraction {
        private final Path root;
        private final Digest expected;
        /** Mode and mtime of every directory, applied at the end, deepest first, after all contents exist. */
        private final Map<Path, DirectoryMetadata> directories = new LinkedHashMap<>();
        private final byte[] buffer = new byte[1 << 16];
        private long entries;
        private long files;
        /** The current entry's PAX records, values as raw bytes. */
        private Map<String, byte[]> pax = Map.of();

        Extraction(Path root, Digest expected) {
            this.root = root;
            this.expected = expected;
            directories.put(root, new DirectoryMetadata(DEFAULT_DIR_MODE, null));
        }

        UnpackResult run(LayerCompression compression, InputStream blob) throws IOException {
            if (options.chown()) {
                PosixFiles.lchown(root, options.uidShift(), options.gidShift());
            }
            HashingInputStream tarStream;
            try (InputStream decompressed = openQuietly(compression, blob)) {
                tarStream = new HashingInputStream(decompressed);
                RawPaxTarInputStream tar = new RawPaxTarInputStream(tarStream);
                for (TarArchiveEntry entry = nextEntry(tar); entry != null; entry = nextEntry(tar)) {
                    pax = tar.rawPaxRecords();
                    apply(entry, tar);
                    entries++;
                }
                try {
                    tarStream.drain();
                } catch (IOException e) {
                    throw corrupt(e);
                }
            }
            Digest actual = tarStream.digest();
            if (!actual.equals(expected)) {
                throw new DigestMismatchException("layer " + expected, expected.toString(), actual.toString());
            }
            finishDirectories();
            return new UnpackResult(actual, tarStream.count(), entries, files);
        }

        private InputStream openQuietly(LayerCompression compression, InputStream blob) {
            // The caller owns blob; closing our decoder must release its native state but not close blob.
            InputStream unclosable = new FilterInputStream(blob) {
                @Override
                public void close() {
                }
            };
            try {
                return compression.decompress(unclosable);
            } catch (IOException e) {
                throw corrupt(e);
            }
        }

        private TarArchiveEntry nextEntry(RawPaxTarInputStream tar) {
            try {
                return tar.getNextEntry();
            } catch (IOException e) {
                throw corrupt(e);
            }
        }

        private MalformedContentException corrupt(IOException e) {
            return new MalformedContentException("layer " + expected + ": corrupt or truncated stream: "
                    + e.getMessage(), e);
        }

        private void apply(TarArchiveEntry entry, RawPaxTarInputStream tar) throws IOException {
            String name = entry.getName();
            List<String> parts = EntryNames.components(name, name);
            if (parts.isEmpty()) {
                if (!entry.isDirectory()) {
                    throw new UnsafeLayerEntryException(name, "names the layer root but is not a directory");
                }
                directory(entry, root);
                return;
            }
            String base = parts.getLast();
            Path parent = directoryFor(parts.subList(0, parts.size() - 1), name);
            if (base.startsWith(WHITEOUT_PREFIX)) {
                whiteout(entry, parent, base);
                return;
            }
            Path path = parent.resolve(base);
            if (entry.isDirectory()) {
                directory(entry, path);
                return;
            }
            switch (entry.getLinkFlag()) {
                case TarConstants.LF_NORMAL, TarConstants.LF_OLDNORM, TarConstants.LF_CONTIG,
                     TarConstants.LF_GNUTYPE_SPARSE -> regularFile(entry, tar, path);
                case TarConstants.LF_SYMLINK -> symlink(entry, path);
                case TarConstants.LF_LINK -> hardlink(entry, parts, path);
                case TarConstants.LF_CHR, TarConstants.LF_BLK -> device(entry, path);
                case TarConstants.LF_FIFO -> {
                    clearForNonDirectory(path, name);
                    PosixFiles.mkfifo(path, 0600);
                    metadata(entry, path, false);
                }
                default -> throw new MalformedContentException("layer " + expected + ": entry \"" + name
                        + "\" has unsupported tar type '" + (char) entry.getLinkFlag() + "'");
            }
        }

        private void directory(TarArchiveEntry entry, Path path) throws IOException {
            BasicFileAttributes existing = lstat(path);
            if (existing == null) {
                Files.createDirectory(path);
            } else if (!existing.isDirectory()) {
                throw new UnsafeLayerEntryException(entry.getName(), "directory would replace a non-directory");
            }
            if (options.chown()) {
                PosixFiles.lchown(path, uid(entry), gid(entry));
            }
            xattrs(entry, path, false);
            directories.put(path, new DirectoryMetadata(mode(entry), entry.getLastModifiedTime()));
        }

        private void regularFile(TarArchiveEntry entry, TarArchiveInputStream tar, Path path) throws IOException {
            clearForNonDirectory(path, entry.getName());
            try (OutputStream out = Files.newOutputStream(path, StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE, NOFOLLOW)) {
                while (true) {
                    int n;
                    try {
                        n = tar.read(buffer);
                    } catch (IOException e) {
                        throw corrupt(e);
                    }
                    if (n < 0) {
                        break;
                    }
                    out.write(buffer, 0, n);
                }
            }
            files++;
            metadata(entry, path, false);
        }

        private void symlink(TarArchiveEntry entry, Path path) throws IOException {
            String target = entry.getLinkName();
            if (target.isEmpty() || target.indexOf('\0') >= 0) {
                throw new UnsafeLayerEntryException(entry.getName(), "symlink with an empty or NUL-containing target");
            }
            clearForNonDirectory(path, entry.getName());
            // The target is stored verbatim and never followed here: where it points is the container's business.
            PosixFiles.symlink(target, path);
            metadata(entry, path, true);
        }

        private void hardlink(TarArchiveEntry entry, List<String> parts, Path path) throws IOException {
            String name = entry.getName();
            List<String> targetParts = EntryNames.components(entry.getLinkName(), name);
            if (targetParts.isEmpty()) {
                throw new UnsafeLayerEntryException(name, "hardlink to the layer root");
            }
            Path target = existingDirectory(targetParts.subList(0, targetParts.size() - 1), name)
                    .resolve(targetParts.getLast());
            BasicFileAttributes attributes = lstat(target);
            if (attributes == null) {
                throw new UnsafeLayerEntryException(name, "hardlink target \"" + entry.getLinkName()
                        + "\" is not an earlier entry of this layer");
            }
            if (attributes.isDirectory()) {
                throw new UnsafeLayerEntryException(name, "hardlink to a directory");
            }
            if (attributes.isSymbolicLink() && escapes(targetParts, PosixFiles.readlink(target))) {
                throw new UnsafeLayerEntryException(name, "hardlink to a symlink that points outside the layer");
            }
            if (target.equals(path)) {
                return;
            }
            clearForNonDirectory(path, name);
            // The link shares the target's inode, so the target's owner, mode, xattrs and mtime already apply.
            Files.createLink(path, target);
        }

        private void device(TarArchiveEntry entry, Path path) throws IOException {
            boolean character = entry.getLinkFlag() == TarConstants.LF_CHR;
            boolean whiteoutForm = character && entry.getDevMajor() == 0 && entry.getDevMinor() == 0;
            if (!options.allowDevices() && !whiteoutForm) {
                throw new UnsafeLayerEntryException(entry.getName(), "device nodes are not allowed in this layer");
            }
            clearForNonDirectory(path, entry.getName());
            PosixFiles.mknod(path, character ? PosixFiles.S_IFCHR : PosixFiles.S_IFBLK, 0600,
                    entry.getDevMajor(), entry.getDevMinor());
            metadata(entry, path, false);
        }

        private void whiteout(TarArchiveEntry entry, Path parent, String base) throws IOException {
            if (base.equals(OPAQUE_MARKER)) {
                PosixFiles.setXattr(parent, OPAQUE_XATTR, new byte[] {'y'});
                return;
            }
            if (base.startsWith(WHITEOUT_PREFIX + WHITEOUT_PREFIX)) {
                return; // aufs bookkeeping such as .wh..wh.plnk: meaningless to overlayfs, as Docker ignores it
            }
            String hidden = base.substring(WHITEOUT_PREFIX.length());
            if (hidden.isEmpty() || hidden.equals(".") || hidden.equals("..")) {
                throw new UnsafeLayerEntryException(entry.getName(), "whiteout without a valid name");
            }
            Path path = parent.resolve(hidden);
            clearForNonDirectory(path, entry.getName());
            PosixFiles.mknod(path, PosixFiles.S_IFCHR, 0, 0, 0);
            if (options.chown()) {
                PosixFiles.lchown(path, uid(entry), gid(entry));
            }
        }

        /** Owner, mode, xattrs and mtime of a non-directory, in the order that keeps each one. */
        private void metadata(TarArchiveEntry entry, Path path, boolean symlink) throws IOException {
            if (options.chown()) {
                PosixFiles.lchown(path, uid(entry), gid(entry)); // clears setuid/setgid and capabilities...
            }
            if (!symlink) {
                PosixFiles.chmod(path, mode(entry)); // ...so mode comes after it
            }
            xattrs(entry, path, symlink); // ...and so does security.capability
            FileTime mtime = entry.getLastModifiedTime();
            PosixFiles.setMtime(path, mtime.toInstant().getEpochSecond(), mtime.toInstant().getNano());
        }

        private void xattrs(TarArchiveEntry entry, Path path, boolean symlink) throws IOException {
            for (Map.Entry<String, byte[]> xattr : Xattrs.fromPax(pax, entry.getName()).entrySet()) {
                String name = xattr.getKey();
                if (name.startsWith(OVERLAY_XATTR_PREFIX)) {
                    throw new UnsafeLayerEntryException(entry.getName(),
                            "carries overlayfs control xattr " + name + "; only whiteout entries may produce those");
                }
                if (symlink && name.startsWith("user.")) {
                    continue; // the kernel refuses user.* xattrs on symlinks
                }
                PosixFiles.setXattr(path, name, xattr.getValue());
            }
        }

        /** The directory for {@code parts}, created as needed; any existing component must be a real directory. */
        private Path directoryFor(List<String> parts, String entry) throws IOException {
            Path dir = root;
            for (String part : parts) {
                Path child = dir.resolve(part);
                BasicFileAttributes attributes = lstat(child);
                if (attributes == null) {
                    Files.createDirectory(child);
                    if (options.chown()) {
                        PosixFiles.lchown(child, options.uidShift(), options.gidShift());
                    }
                    directories.put(child, new DirectoryMetadata(DEFAULT_DIR_MODE, null));
                } else {
                    requireDirectory(child, attributes, entry);
                }
                dir = child;
            }
            return dir;
        }

        /** Like {@link #directoryFor} but creates nothing: for hardlink targets, which must already exist. */
        private Path existingDirectory(List<String> parts, String entry) throws IOException {
            Path dir = root;
            for (String part : parts) {
                Path child = dir.resolve(part);
                BasicFileAttributes attributes = lstat(child);
                if (attributes == null) {
                    throw new UnsafeLayerEntryException(entry, "hardlink target is not an earlier entry of this layer");
                }
                requireDirectory(child, attributes, entry);
                dir = child;
            }
            return dir;
        }

        private void requireDirectory(Path path, BasicFileAttributes attributes, String entry) {
            if (attributes.isSymbolicLink()) {
                throw new UnsafeLayerEntryException(entry, "path goes through symlink \"" + root.relativize(path) + "\"");
            }
            if (!attributes.isDirectory()) {
                throw new UnsafeLayerEntryException(entry, "parent \"" + root.relativize(path) + "\" is not a directory");
            }
        }

        /** Makes room for a non-directory: an earlier non-directory is replaced (later entries win, as in tar). */
        private void clearForNonDirectory(Path path, String entry) throws IOException {
            BasicFileAttributes existing = lstat(path);
            if (existing == null) {
                return;
            }
            if (existing.isDirectory()) {
                throw new UnsafeLayerEntryException(entry, "would replace a directory");
            }
            Files.delete(path); // unlinks a symlink itself, never its target
        }

        private void finishDirectories() throws IOException {
            List<Map.Entry<Path, DirectoryMetadata>> deepestFirst = directories.entrySet().stream()
                    .sorted(Comparator.comparingInt((Map.Entry<Path, DirectoryMetadata> e) -> e.getKey().getNameCount())
                            .reversed())
                    .toList();
            for (Map.Entry<Path, DirectoryMetadata> directory : deepestFirst) {
                PosixFiles.chmod(directory.getKey(), directory.getValue().mode());
                FileTime mtime = directory.getValue().mtime();
                if (mtime != null) {
                    PosixFiles.setMtime(directory.getKey(), mtime.toInstant().getEpochSecond(), mtime.toInstant().getNano());
                }
            }
        }

        private long uid(TarArchiveEntry entry) {
            return shifted(entry.getLongUserId(), options.uidShift(), "uid", entry);
        }

        private long gid(TarArchiveEntry entry) {
            return shifted(entry.getLongGroupId(), options.gidShift(), "gid", entry);
        }

        private long shifted(long id, int shift, String what, TarArchiveEntry entry) {
            long result = id + shift;
            if (id < 0 || result > MAX_ID) {
                throw new MalformedContentException("layer " + expected + ": entry \"" + entry.getName() + "\" has "
                        + what + " " + id + (shift == 0 ? "" : " (shifted by " + shift + ")") + " out of range");
            }
            return result;
        }
    }

    private record DirectoryMetadata(int mode, FileTime mtime) {
    }

    private static int mode(TarArchiveEntry entry) {
        return entry.getMode() & 07777;
    }

    private static BasicFileAttributes lstat(Path path) throws IOException {
        try {
            return Files.readAttributes(path, BasicFileAttributes.class, NOFOLLOW);
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    /**
     * Whether a symlink stored at {@code linkParts} with target {@code target} points outside the layer when
     * resolved lexically from the layer root: absolute targets do, and so do targets that climb above it.
     */
    static boolean escapes(List<String> linkParts, String target) {
        if (target.startsWith("/")) {
            return true;
        }
        Deque<String> resolved = new ArrayDeque<>(linkParts.subList(0, linkParts.size() - 1));
        for (String part : target.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                if (resolved.isEmpty()) {
                    return true;
                }
                resolved.removeLast();
            } else {
                resolved.addLast(part);
            }
        }
        return false;
    }

    /** Removes a half-built layer. Symlinks are removed, never followed; directories are made enterable first. */
    static void deleteTree(Path top) {
        try {
            Files.walkFileTree(top, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                    try {
                        PosixFiles.chmod(dir, 0700);
                    } catch (IOException ignored) {
                        // deletion below reports what really fails
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.delete(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                    Files.delete(dir);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new StorageException("cannot remove half-unpacked layer " + top + ": " + e.getMessage(), e);
        }
    }
}
