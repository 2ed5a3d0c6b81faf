package dev.jcontainers.linux.ffm;

import static dev.jcontainers.linux.ffm.Calls.check;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;

/**
 * {@code sched.h}: setns(2) and unshare(2). Both act on the calling <em>thread</em> only; a JVM thread
 * that changes namespace must be a dedicated one (never a pooled or virtual thread's carrier) and must
 * not be handed back to other work. Headers and symbols in {@code src/main/ffm/sched.txt}.
 */
public final class Sched {
    private Sched() {
    }

    public static final int CLONE_NEWTIME = 0x00000080;
    public static final int CLONE_NEWNS = 0x00020000;
    public static final int CLONE_NEWCGROUP = 0x02000000;
    public static final int CLONE_NEWUTS = 0x04000000;
    public static final int CLONE_NEWIPC = 0x08000000;
    public static final int CLONE_NEWUSER = 0x10000000;
    public static final int CLONE_NEWPID = 0x20000000;
    public static final int CLONE_NEWNET = 0x40000000;

    /** setns(2) on an open namespace (or pidfd) descriptor; {@code nsType} 0 accepts any type. */
    public static void setns(int fd, int nsType) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Native.callState(arena);
            long rc = Syscall.SETNS.call(state, fd, nsType);
            check(rc, state, "setns", "fd " + fd + ", type 0x" + Integer.toHexString(nsType));
        }
    }

    /** setns(2) into the namespace file {@code nsFile}, e.g. {@code /proc/<pid>/ns/net}. */
    public static void setns(Path nsFile, int nsType) {
        int fd = Unistd.open(nsFile, Unistd.O_RDONLY | Unistd.O_CLOEXEC);
        try {
            setns(fd, nsType);
        } catch (LinuxException e) {
            throw new LinuxException("setns", nsFile.toString(), e.errno());
        } finally {
            Unistd.close(fd);
        }
    }

    /** unshare(2) with {@code CLONE_NEW*} flags. */
    public static void unshare(int flags) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Native.callState(arena);
            long rc = Syscall.UNSHARE.call(state, flags);
            check(rc, state, "unshare", "flags 0x" + Integer.toHexString(flags));
        }
    }
}
