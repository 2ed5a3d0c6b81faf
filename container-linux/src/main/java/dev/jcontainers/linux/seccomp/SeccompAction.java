package dev.jcontainers.linux.seccomp;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** What a seccomp rule does with a matching system call, named as in Docker's profiles and libseccomp. */
public enum SeccompAction {
    /** Kills the calling thread ({@code SCMP_ACT_KILL} is the older name of the same action). */
    KILL_THREAD("SCMP_ACT_KILL_THREAD", 0x00000000),
    KILL("SCMP_ACT_KILL", 0x00000000),
    KILL_PROCESS("SCMP_ACT_KILL_PROCESS", 0x80000000),
    TRAP("SCMP_ACT_TRAP", 0x00030000),
    /** Fails the call with an errno, {@code errnoRet} or EPERM when none is given. */
    ERRNO("SCMP_ACT_ERRNO", 0x00050000),
    /** Hands the call to a ptrace tracer with {@code errnoRet} (EPERM when none is given) as message. */
    TRACE("SCMP_ACT_TRACE", 0x7ff00000),
    LOG("SCMP_ACT_LOG", 0x7ffc0000),
    ALLOW("SCMP_ACT_ALLOW", 0x7fff0000),
    /** Defers to a user-space supervisor; this runtime has none, so the compiler rejects it. */
    NOTIFY("SCMP_ACT_NOTIFY", 0x7fc00000);

    private static final int EPERM = 1;

    private final String jsonName;
    private final int kernelValue;

    SeccompAction(String jsonName, int kernelValue) {
        this.jsonName = jsonName;
        this.kernelValue = kernelValue;
    }

    @JsonValue
    public String jsonName() {
        return jsonName;
    }

    /** Whether {@code errnoRet} means something for this action (runc rejects it elsewhere). */
    public boolean takesErrno() {
        return this == ERRNO || this == TRACE;
    }

    /**
     * The {@code SECCOMP_RET_*} value a filter returns for this action; {@code errno} (may be null) fills the
     * 16 data bits of ERRNO and TRACE.
     */
    public int returnValue(Integer errno) {
        if (!takesErrno()) {
            return kernelValue;
        }
        int data = errno == null ? EPERM : errno;
        if (data < 0 || data > 0xffff) {
            throw new IllegalArgumentException("errno out of range: " + data);
        }
        return kernelValue | data;
    }

    @JsonCreator
    public static SeccompAction fromJson(String name) {
        for (SeccompAction a : values()) {
            if (a.jsonName.equals(name)) {
                return a;
            }
        }
        throw new IllegalArgumentException("unknown seccomp action: " + name);
    }
}
