package dev.jcontainers.linux.launch;

import java.io.ByteArrayOutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;

import dev.jcontainers.linux.ffm.Native;
import dev.jcontainers.linux.ffm.Unistd;

/** A pipe made with pipe2 so its descriptors can be handed to {@link Launcher#launch} as plain ints. */
final class TestPipe implements AutoCloseable {
    final int readFd;
    private int writeFd;

    TestPipe() throws Throwable {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment fds = arena.allocate(ValueLayout.JAVA_INT, 2);
            int rc = Unistd.pipe2(Native.callState(arena), fds, Unistd.O_CLOEXEC);
            if (rc != 0) {
                throw new IllegalStateException("pipe2 failed");
            }
            readFd = fds.getAtIndex(ValueLayout.JAVA_INT, 0);
            writeFd = fds.getAtIndex(ValueLayout.JAVA_INT, 1);
        }
    }

    int writeFd() {
        return writeFd;
    }

    void closeWriteEnd() {
        if (writeFd >= 0) {
            Launcher.closeFd(writeFd);
            writeFd = -1;
        }
    }

    /** Everything until EOF (all write ends closed). */
    String readAll() throws Throwable {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(4096);
            while (true) {
                long n = Unistd.read(Native.callState(arena), readFd, buf, 4096L);
                if (n <= 0) {
                    return out.toString(StandardCharsets.UTF_8);
                }
                out.writeBytes(buf.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE));
            }
        }
    }

    @Override
    public void close() {
        closeWriteEnd();
        Launcher.closeFd(readFd);
    }
}
