package dev.jcontainers.linux.ffm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jcontainers.linux.seccomp.SeccompArch;
import dev.jcontainers.linux.seccomp.SyscallTable;
import dev.jcontainers.testkit.Requirements;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Locale;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The one {@code syscall(2)} handle: its numbers, its errno capture, and pointers passed as addresses. */
class SyscallTest {

    @ParameterizedTest
    @EnumSource(SeccompArch.class)
    void numbersAreTheKernelsOnEachArchitecture(SeccompArch arch) {
        SyscallTable table = SyscallTable.of(arch);
        String name = arch.name().toLowerCase(Locale.ROOT);
        for (Syscall call : Syscall.values()) {
            assertThat(call.numberOn(name)).as("%s on %s", call, name)
                    .isEqualTo(table.number(call.name().toLowerCase(Locale.ROOT)).orElseThrow());
        }
    }

    @Test
    void aFailedCallReturnsMinusOneWithTheErrno() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Native.callState(arena);
            assertThat(Unistd.close(state, -1)).isEqualTo(-1);
            assertThat(Native.errno(state)).isEqualTo(Errno.EBADF);
        }
    }

    @Test
    void bytesTravelThroughAPipeAndPollSeesThem() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Native.callState(arena);
            MemorySegment fds = arena.allocate(ValueLayout.JAVA_INT, 2);
            assertThat(Unistd.pipe2(state, fds, Unistd.O_CLOEXEC)).isZero();
            int readFd = fds.getAtIndex(ValueLayout.JAVA_INT, 0);
            int writeFd = fds.getAtIndex(ValueLayout.JAVA_INT, 1);
            try {
                MemorySegment pfd = arena.allocate(Poll.POLLFD);
                Poll.set(pfd, 0, readFd, Poll.POLLIN);
                assertThat(Poll.poll(state, pfd, 1, 0)).as("empty pipe").isZero();

                MemorySegment text = arena.allocateFrom("hello", java.nio.charset.StandardCharsets.US_ASCII);
                assertThat(Unistd.write(state, writeFd, text, 5)).isEqualTo(5);
                assertThat(Poll.poll(state, pfd, 1, -1)).isEqualTo(1);
                assertThat(Poll.revents(pfd, 0) & Poll.POLLIN).isEqualTo(Poll.POLLIN);

                MemorySegment buf = arena.allocate(16);
                assertThat(Unistd.read(state, readFd, buf, 16)).isEqualTo(5);
                assertThat(buf.getString(0)).isEqualTo("hello");
            } finally {
                Unistd.close(readFd);
                Unistd.close(writeFd);
            }
        }
    }

    @Test
    void stringArgumentsReachTheKernel() {
        Requirements.requireRoot();
        int fd = Mount.fsopen("tmpfs", Mount.FSOPEN_CLOEXEC);
        Unistd.close(fd);
        assertThatThrownBy(() -> Mount.fsopen("no-such-fs", 0))
                .isInstanceOfSatisfying(LinuxException.class, e -> assertThat(e.errno()).as("ENODEV").isEqualTo(19));
    }
}
