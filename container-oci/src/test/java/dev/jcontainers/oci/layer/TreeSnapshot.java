package dev.jcontainers.oci.layer;

import dev.jcontainers.oci.image.Digest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/** A small tree walker: what a directory tree holds, path by path, never following symlinks. */
final class TreeSnapshot {
    private TreeSnapshot() {
    }

    /**
     * One path's observable state. {@code identity} (inode and change time) is only filled for sentinel
     * checks, where even a rewrite with identical content must show.
     */
    record Node(String type, int mode, int uid, int gid, long size, String content, String link, long rdev,
                Map<String, String> xattrs, long mtime, String identity) {
    }

    /** Paths relative to {@code root} (root itself as ""), with types, modes, owners, contents, links, xattrs, mtimes. */
    static Map<String, Node> of(Path root) {
        return walk(root, false);
    }

    /** Like {@link #of} plus inode and ctime of every path: any change at all shows. */
    static Map<String, Node> exact(Path root) {
        return walk(root, true);
    }

    private static Map<String, Node> walk(Path root, boolean identity) {
        Map<String, Node> nodes = new TreeMap<>();
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : (Iterable<Path>) paths::iterator) {
                nodes.put(root.relativize(path).toString(), node(path, identity));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return nodes;
    }

    private static Node node(Path path, boolean identity) throws IOException {
        Map<String, Object> unix = Files.readAttributes(path,
                "unix:mode,uid,gid,size,rdev,ino,ctime,lastModifiedTime", LinkOption.NOFOLLOW_LINKS);
        int mode = (Integer) unix.get("mode");
        String type = switch (mode & 0170000) {
            case 0040000 -> "dir";
            case 0100000 -> "file";
            case 0120000 -> "symlink";
            case 0020000 -> "char";
            case 0060000 -> "block";
            case 0010000 -> "fifo";
            default -> "other";
        };
        String content = type.equals("file") ? Digest.sha256(Files.readAllBytes(path)).toString() : null;
        String link = type.equals("symlink") ? PosixFiles.readlink(path) : null;
        long size = type.equals("file") || type.equals("symlink") ? (Long) unix.get("size") : 0;
        Map<String, String> xattrs = new TreeMap<>();
        for (String name : PosixFiles.listXattrs(path)) {
            xattrs.put(name, HexFormat.of().formatHex(PosixFiles.getXattr(path, name)));
        }
        long mtime = ((FileTime) unix.get("lastModifiedTime")).toInstant().getEpochSecond();
        String id = identity ? unix.get("ino") + "@" + unix.get("ctime") + "/" + unix.get("lastModifiedTime") : null;
        return new Node(type, mode & 07777, (Integer) unix.get("uid"), (Integer) unix.get("gid"), size, content, link,
                (Long) unix.get("rdev"), xattrs, mtime, id);
    }
}
