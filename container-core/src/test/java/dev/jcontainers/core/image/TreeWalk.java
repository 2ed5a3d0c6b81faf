package dev.jcontainers.core.image;

import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * A comparable picture of a file tree, for checking our trees against independent tools: per path its type,
 * permission bits, owner, size, content hash, link target, device number, xattrs (hex; SELinux labels left
 * out) and which other paths share its inode (hardlinks). Mtimes are left out: tools differ on directories.
 */
final class TreeWalk {
    record Node(String type, int mode, int uid, int gid, long size, String sha256, String link, long rdev,
                Map<String, String> xattrs, String hardlinkGroup) {
    }

    private static final MethodHandle LLISTXATTR = Linker.nativeLinker().downcallHandle(
            Linker.nativeLinker().defaultLookup().find("llistxattr").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG));
    private static final MethodHandle LGETXATTR = Linker.nativeLinker().downcallHandle(
            Linker.nativeLinker().defaultLookup().find("lgetxattr").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.ADDRESS,
                    ValueLayout.JAVA_LONG));

    private TreeWalk() {
    }

    /** Every path under {@code root} (root itself left out), relative, sorted. */
    static Map<String, Node> of(Path root) throws IOException {
        List<Path> paths;
        try (Stream<Path> walk = Files.walk(root)) {
            paths = walk.filter(p -> !p.equals(root)).sorted().toList();
        }
        Map<String, String> firstByInode = new HashMap<>();
        Map<String, Node> tree = new TreeMap<>();
        for (Path path : paths) {
            String rel = root.relativize(path).toString();
            Map<String, Object> unix = Files.readAttributes(path, "unix:mode,uid,gid,size,ino,dev,nlink,rdev",
                    LinkOption.NOFOLLOW_LINKS);
            int mode = (Integer) unix.get("mode");
            String type = switch (mode & 0170000) {
                case 0040000 -> "dir";
                case 0100000 -> "file";
                case 0120000 -> "symlink";
                case 0020000 -> "chr";
                case 0060000 -> "blk";
                case 0010000 -> "fifo";
                default -> "other";
            };
            String group = null;
            if (!type.equals("dir") && (Integer) unix.get("nlink") > 1) {
                String inode = unix.get("dev") + ":" + unix.get("ino");
                group = firstByInode.computeIfAbsent(inode, k -> rel);
            }
            tree.put(rel, new Node(type, mode & 07777, (Integer) unix.get("uid"), (Integer) unix.get("gid"),
                    type.equals("file") ? (Long) unix.get("size") : 0,
                    type.equals("file") ? sha256(path) : null,
                    type.equals("symlink") ? Files.readSymbolicLink(path).toString() : null,
                    type.equals("chr") || type.equals("blk") ? (Long) unix.get("rdev") : 0,
                    xattrs(path), group));
        }
        return tree;
    }

    private static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) {
                sha.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, String> xattrs(Path path) {
        Map<String, String> out = new TreeMap<>();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment name = arena.allocateFrom(path.toString());
            MemorySegment list = arena.allocate(65536);
            long n = (long) LLISTXATTR.invokeExact(name, list, 65536L);
            if (n <= 0) {
                return out;
            }
            byte[] names = list.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE);
            MemorySegment value = arena.allocate(65536);
            for (String xattr : new String(names, StandardCharsets.UTF_8).split("\0")) {
                if (xattr.isEmpty() || xattr.equals("security.selinux")) {
                    continue;
                }
                long size = (long) LGETXATTR.invokeExact(name, arena.allocateFrom(xattr), value, 65536L);
                if (size >= 0) {
                    out.put(xattr, HexFormat.of().formatHex(value.asSlice(0, size).toArray(ValueLayout.JAVA_BYTE)));
                }
            }
            return out;
        } catch (Throwable t) {
            throw new IllegalStateException("cannot read xattrs of " + path, t);
        }
    }
}
