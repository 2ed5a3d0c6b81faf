package dev.jcontainers.linux.capability;

import java.util.Locale;

/**
 * The Linux capabilities with their kernel bit numbers ({@code linux/capability.h}), in bit order, so
 * {@link #ordinal()} equals {@link #number()}.
 */
public enum Capability {
    CHOWN, DAC_OVERRIDE, DAC_READ_SEARCH, FOWNER, FSETID, KILL, SETGID, SETUID, SETPCAP, LINUX_IMMUTABLE,
    NET_BIND_SERVICE, NET_BROADCAST, NET_ADMIN, NET_RAW, IPC_LOCK, IPC_OWNER, SYS_MODULE, SYS_RAWIO, SYS_CHROOT,
    SYS_PTRACE, SYS_PACCT, SYS_ADMIN, SYS_BOOT, SYS_NICE, SYS_RESOURCE, SYS_TIME, SYS_TTY_CONFIG, MKNOD, LEASE,
    AUDIT_WRITE, AUDIT_CONTROL, SETFCAP, MAC_OVERRIDE, MAC_ADMIN, SYSLOG, WAKE_ALARM, BLOCK_SUSPEND, AUDIT_READ,
    PERFMON, BPF, CHECKPOINT_RESTORE;

    private static final String PREFIX = "CAP_";

    /** The kernel's bit number, as used in capability masks and {@code capset(2)}. */
    public int number() {
        return ordinal();
    }

    /** The bit of this capability in a 64-bit capability mask. */
    public long bit() {
        return 1L << number();
    }

    /** The name as the kernel headers, Docker and the OCI runtime spec write it: {@code CAP_NET_ADMIN}. */
    public String kernelName() {
        return PREFIX + name();
    }

    /**
     * One capability from {@code CAP_NET_ADMIN}, {@code NET_ADMIN} or {@code net_admin} (any case, prefix
     * optional), as Docker's {@code --cap-add} accepts it. {@code ALL} is not a capability: see
     * {@link Capabilities#parse(String)}.
     *
     * @throws UnknownCapabilityException if no capability has that name
     */
    public static Capability of(String name) {
        String upper = name.strip().toUpperCase(Locale.ROOT);
        String bare = upper.startsWith(PREFIX) ? upper.substring(PREFIX.length()) : upper;
        try {
            return valueOf(bare);
        } catch (IllegalArgumentException e) {
            throw new UnknownCapabilityException(name);
        }
    }

    /** The capability with the given kernel bit number. */
    public static Capability ofNumber(int number) {
        Capability[] all = values();
        if (number < 0 || number >= all.length) {
            throw new UnknownCapabilityException("capability number " + number);
        }
        return all[number];
    }
}
