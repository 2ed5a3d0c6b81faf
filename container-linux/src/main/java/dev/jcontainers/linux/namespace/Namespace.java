package dev.jcontainers.linux.namespace;

/** The eight Linux namespace types: their clone flag and their name under {@code /proc/<pid>/ns/}. */
public enum Namespace {
    MNT(0x00020000L, "mnt"),
    UTS(0x04000000L, "uts"),
    IPC(0x08000000L, "ipc"),
    USER(0x10000000L, "user"),
    PID(0x20000000L, "pid"),
    NET(0x40000000L, "net"),
    CGROUP(0x02000000L, "cgroup"),
    TIME(0x00000080L, "time");

    private final long cloneFlag;
    private final String procName;

    Namespace(long cloneFlag, String procName) {
        this.cloneFlag = cloneFlag;
        this.procName = procName;
    }

    /** {@code CLONE_NEW*}, also the {@code nstype} for {@code setns}. */
    public long cloneFlag() {
        return cloneFlag;
    }

    /** The entry name under {@code /proc/<pid>/ns/}. */
    public String procName() {
        return procName;
    }

    public static Namespace ofCloneFlag(long flag) {
        for (Namespace ns : values()) {
            if (ns.cloneFlag == flag) {
                return ns;
            }
        }
        throw new IllegalArgumentException("not a namespace clone flag: 0x" + Long.toHexString(flag));
    }
}
