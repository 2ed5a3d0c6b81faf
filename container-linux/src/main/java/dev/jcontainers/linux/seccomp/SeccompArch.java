package dev.jcontainers.linux.seccomp;

import java.util.Locale;

/**
 * The architectures a filter can be compiled for, with the {@code AUDIT_ARCH_*} value the kernel puts in
 * {@code seccomp_data.arch} and the Go name Docker profiles use in {@code includes.arches}.
 */
public enum SeccompArch {
    X86_64("SCMP_ARCH_X86_64", "amd64", 0xc000003e, true),
    AARCH64("SCMP_ARCH_AARCH64", "arm64", 0xc00000b7, false);

    private final String libseccompName;
    private final String goName;
    private final int auditArch;
    private final boolean hasX32;

    SeccompArch(String libseccompName, String goName, int auditArch, boolean hasX32) {
        this.libseccompName = libseccompName;
        this.goName = goName;
        this.auditArch = auditArch;
        this.hasX32 = hasX32;
    }

    public String libseccompName() {
        return libseccompName;
    }

    public String goName() {
        return goName;
    }

    public int auditArch() {
        return auditArch;
    }

    /**
     * Whether this arch shares {@code AUDIT_ARCH} with the x32 ABI, whose calls are told apart only by
     * bit 30 of the number ({@code __X32_SYSCALL_BIT}); a filter must reject those or they bypass it.
     */
    public boolean hasX32() {
        return hasX32;
    }

    public SyscallTable syscalls() {
        return SyscallTable.of(this);
    }

    /** The architecture of this JVM. */
    public static SeccompArch current() {
        String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
        return switch (arch) {
            case "amd64", "x86_64" -> X86_64;
            case "aarch64", "arm64" -> AARCH64;
            default -> throw new UnsupportedOperationException("no seccomp support for architecture " + arch);
        };
    }
}
