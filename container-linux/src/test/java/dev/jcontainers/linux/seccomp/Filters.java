package dev.jcontainers.linux.seccomp;

/** Return values and call numbers the tests speak in. */
final class Filters {
    static final int ALLOW = 0x7fff0000;
    static final int KILL_PROCESS = 0x80000000;
    static final int EPERM = 1;
    static final int ENOSYS = 38;
    static final int AUDIT_ARCH_I386 = 0x40000003;
    /** A kernel new enough for every {@code minKernel} in Docker's profile. */
    static final KernelVersion KERNEL = new KernelVersion(6, 1);

    private Filters() {
    }

    static int errno(int errno) {
        return 0x00050000 | errno;
    }

    static int nr(SeccompArch arch, String name) {
        return SyscallTable.of(arch).number(name).orElseThrow(() -> new AssertionError(arch + " has no " + name));
    }
}
