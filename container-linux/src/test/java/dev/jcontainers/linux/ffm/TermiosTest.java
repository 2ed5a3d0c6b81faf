package dev.jcontainers.linux.ffm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jcontainers.testkit.Requirements;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

/** isatty and the window size, asked with ioctls through {@link Syscall}. */
class TermiosTest {
    private static final Path PTMX = Path.of("/dev/ptmx");
    private static final int O_RDWR = 2;

    @Test
    void aPipeIsNoTerminalAndHasNoSize() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment fds = arena.allocate(ValueLayout.JAVA_INT, 2);
            assertThat(Unistd.pipe2(Native.callState(arena), fds, Unistd.O_CLOEXEC)).isZero();
            int readFd = fds.getAtIndex(ValueLayout.JAVA_INT, 0);
            try {
                assertThat(Termios.isTerminal(readFd)).isFalse();
                assertThat(Termios.size(readFd)).isEmpty();
            } finally {
                Unistd.close(readFd);
                Unistd.close(fds.getAtIndex(ValueLayout.JAVA_INT, 1));
            }
        }
    }

    @Test
    void aPseudoTerminalIsOne() {
        Requirements.require(Files.exists(PTMX), "no /dev/ptmx");
        int master = Unistd.open(PTMX, O_RDWR | Unistd.O_NOFOLLOW | Unistd.O_CLOEXEC);
        try {
            assertThat(Termios.isTerminal(master)).isTrue();
        } finally {
            Unistd.close(master);
        }
    }
}
