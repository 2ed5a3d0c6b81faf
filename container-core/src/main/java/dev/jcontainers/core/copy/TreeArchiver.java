package dev.jcontainers.core.copy;

import dev.jcontainers.api.ContainerPathNotFoundException;
import dev.jcontainers.linux.fs.RootedTree;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.attribute.FileTime;
import java.util.HashMap;
import java.util.Map;
import java.util.function.LongUnaryOperator;

/**
 * Writes a file or directory of a {@link RootedTree} as a tar stream ({@code docker cp CONTAINER:PATH -}).
 * The walk goes from descriptor to descriptor ({@link RootedTree.Entry#child}), never following a symlink:
 * links are archived as links, hardlinked files once and then as links, sockets skipped. A file that
 * changes while it is read is archived with the size it had when its header was written.
 */
public final class TreeArchiver {
    private TreeArchiver() {
    }

    /**
     * @param path       the source, resolved inside the tree
     * @param followLast follow a symlink as the last component (Docker does for a path ending in {@code /})
     * @param rebase     the name of the top entry; empty to archive only a directory's contents
     * @param uidOut     maps the ids on disk to those recorded (a user namespace's host ids back to its own)
     */
    public static void write(RootedTree tree, String path, boolean followLast, String rebase, OutputStream out,
                             LongUnaryOperator uidOut, LongUnaryOperator gidOut) throws IOException {
        TarArchiveOutputStream tar = new TarArchiveOutputStream(new FilterOutputStream(out) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
            }

            @Override
            public void close() throws IOException {
                flush(); // the caller's stream stays open
            }
        });
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        tar.setAddPaxHeadersForNonAsciiNames(true);
        try (RootedTree.Entry top = tree.find(path, followLast).orElseThrow(() ->
                new ContainerPathNotFoundException("Could not find the file " + path))) {
            new Walk(tar, uidOut, gidOut).visit(top, rebase);
        }
        tar.finish();
        tar.close();
    }

    private record Walk(TarArchiveOutputStream tar, LongUnaryOperator uidOut, LongUnaryOperator gidOut,
                        Map<String, String> linked) {
        Walk(TarArchiveOutputStream tar, LongUnaryOperator uidOut, LongUnaryOperator gidOut) {
            this(tar, uidOut, gidOut, new HashMap<>());
        }

        void visit(RootedTree.Entry e, String name) throws IOException {
            if (!name.isEmpty() && !writeHeader(e, name)) {
                return;
            }
            if (e.isDirectory()) {
                for (String child : e.list()) {
                    var c = e.child(child);
                    if (c.isEmpty()) {
                        continue; // removed meanwhile
                    }
                    try (RootedTree.Entry entry = c.get()) {
                        visit(entry, name.isEmpty() ? child : name + "/" + child);
                    }
                }
            }
        }

        /** Writes the entry's header (and content); false for what a tar stream cannot hold. */
        private boolean writeHeader(RootedTree.Entry e, String name) throws IOException {
            Map<String, Object> st = e.stat();
            int type = e.type();
            TarArchiveEntry h;
            String inode = st.get("dev") + ":" + st.get("ino");
            if (type != RootedTree.S_IFDIR && (Integer) st.get("nlink") > 1 && linked.containsKey(inode)) {
                h = new TarArchiveEntry(name, TarConstants.LF_LINK);
                h.setLinkName(linked.get(inode));
            } else if (type == RootedTree.S_IFDIR) {
                h = new TarArchiveEntry(name + "/", TarConstants.LF_DIR);
            } else if (type == RootedTree.S_IFREG) {
                h = new TarArchiveEntry(name, TarConstants.LF_NORMAL);
                h.setSize((Long) st.get("size"));
            } else if (type == RootedTree.S_IFLNK) {
                h = new TarArchiveEntry(name, TarConstants.LF_SYMLINK);
                h.setLinkName(e.readSymlink());
            } else if (type == RootedTree.S_IFCHR || type == RootedTree.S_IFBLK || type == RootedTree.S_IFIFO) {
                h = new TarArchiveEntry(name, type == RootedTree.S_IFCHR ? TarConstants.LF_CHR
                        : type == RootedTree.S_IFBLK ? TarConstants.LF_BLK : TarConstants.LF_FIFO);
                long rdev = (Long) st.get("rdev");
                h.setDevMajor((int) (((rdev >>> 8) & 0xfff) | ((rdev >>> 32) & ~0xfffL)));
                h.setDevMinor((int) ((rdev & 0xff) | ((rdev >>> 12) & ~0xffL)));
            } else {
                return false; // a socket
            }
            if (type != RootedTree.S_IFDIR && (Integer) st.get("nlink") > 1) {
                linked.putIfAbsent(inode, name);
            }
            h.setMode((Integer) st.get("mode"));
            h.setUserId(uidOut.applyAsLong(Integer.toUnsignedLong((Integer) st.get("uid"))));
            h.setGroupId(gidOut.applyAsLong(Integer.toUnsignedLong((Integer) st.get("gid"))));
            h.setModTime((FileTime) st.get("lastModifiedTime"));
            tar.putArchiveEntry(h);
            if (h.getLinkFlag() == TarConstants.LF_NORMAL) {
                try (InputStream in = e.read()) {
                    copyExactly(in, h.getSize());
                }
            }
            tar.closeArchiveEntry();
            return true;
        }

        /** {@code size} bytes: a file that shrank is padded with zeros, one that grew is cut. */
        private void copyExactly(InputStream in, long size) throws IOException {
            byte[] buf = new byte[65536];
            long left = size;
            int n;
            while (left > 0 && (n = in.read(buf, 0, (int) Math.min(buf.length, left))) > 0) {
                tar.write(buf, 0, n);
                left -= n;
            }
            java.util.Arrays.fill(buf, (byte) 0);
            while (left > 0) {
                int k = (int) Math.min(buf.length, left);
                tar.write(buf, 0, k);
                left -= k;
            }
        }
    }
}
