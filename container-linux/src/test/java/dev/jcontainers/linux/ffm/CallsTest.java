package dev.jcontainers.linux.ffm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jcontainers.testkit.Requirements;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

import org.junit.jupiter.api.Test;

/** The syscall(2) route that stands in for mount-API wrappers missing from older C libraries. */
class CallsTest {
    private static final MethodHandle FSOPEN_BY_SYSCALL = Calls.syscall(430,
            FunctionDescriptor.of(Native.C_INT, Native.C_POINTER, Native.C_UINT));

    @Test
    void fsopenThroughSyscallReturnsADescriptorOrTheErrno() throws Throwable {
        Requirements.requireRoot();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Native.callState(arena);
            int fd = (int) FSOPEN_BY_SYSCALL.invokeExact(state, arena.allocateFrom("tmpfs"), Mount.FSOPEN_CLOEXEC);
            assertThat(fd).isGreaterThanOrEqualTo(0);
            Unistd.close(fd);

            int bad = (int) FSOPEN_BY_SYSCALL.invokeExact(state, arena.allocateFrom("no-such-fs"), 0);
            assertThat(bad).isEqualTo(-1);
            assertThat(Native.errno(state)).as("ENODEV").isEqualTo(19);
        }
    }
}
