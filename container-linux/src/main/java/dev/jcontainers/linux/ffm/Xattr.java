package dev.jcontainers.linux.ffm;

import static dev.jcontainers.linux.ffm.Calls.cString;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.Optional;

/**
 * {@code sys/xattr.h}: extended attributes in any namespace. {@code java.nio}'s user-defined attribute
 * view only reaches {@code user.*}; overlayfs keeps its metadata (opaque directories, redirects) in
 * {@code trusted.overlay.*}. The {@code l*} variants: a symlink's own attributes, never its target's.
 * Headers and symbols in {@code src/main/ffm/xattr.txt}.
 */
public final class Xattr {
    private Xattr() {
    }

    /** The attribute that marks an overlay directory opaque (value "y"): lower layers' entries are hidden. */
    public static final String OVERLAY_OPAQUE = "trusted.overlay.opaque";

    private static final int MAX_VALUE = 64 * 1024;

    /** lsetxattr(2), creating or replacing the attribute. */
    public static void set(Path path, String name, byte[] value) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Native.callState(arena);
            MemorySegment buf = arena.allocateFrom(ValueLayout.JAVA_BYTE, value);
            long rc = Syscall.LSETXATTR.call(state, cString(arena, path.toString()).address(),
                    cString(arena, name).address(), buf.address(), value.length, 0);
            if (rc < 0) {
                throw new LinuxException("lsetxattr", path + ", " + name, Native.errno(state));
            }
        }
    }

    /** lgetxattr(2); empty when the attribute is not set (ENODATA). */
    public static Optional<byte[]> get(Path path, String name) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Native.callState(arena);
            MemorySegment buf = arena.allocate(MAX_VALUE);
            long n = Syscall.LGETXATTR.call(state, cString(arena, path.toString()).address(),
                    cString(arena, name).address(), buf.address(), MAX_VALUE);
            if (n < 0) {
                int errno = Native.errno(state);
                if (errno == Errno.ENODATA) {
                    return Optional.empty();
                }
                throw new LinuxException("lgetxattr", path + ", " + name, errno);
            }
            return Optional.of(buf.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE));
        }
    }
}
