package dev.jcontainers.linux.seccomp;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * How a rule compares a system call argument, as in libseccomp: every comparison is unsigned and 64 bits
 * wide; {@link #MASKED_EQ} tests {@code (arg & value) == valueTwo}.
 */
public enum ComparisonOp {
    NE("SCMP_CMP_NE"),
    LT("SCMP_CMP_LT"),
    LE("SCMP_CMP_LE"),
    EQ("SCMP_CMP_EQ"),
    GE("SCMP_CMP_GE"),
    GT("SCMP_CMP_GT"),
    MASKED_EQ("SCMP_CMP_MASKED_EQ");

    private final String jsonName;

    ComparisonOp(String jsonName) {
        this.jsonName = jsonName;
    }

    @JsonValue
    public String jsonName() {
        return jsonName;
    }

    /** What the comparison answers for a concrete argument: the reference the BPF code must agree with. */
    public boolean test(long arg, long value, long valueTwo) {
        return switch (this) {
            case NE -> arg != value;
            case LT -> Long.compareUnsigned(arg, value) < 0;
            case LE -> Long.compareUnsigned(arg, value) <= 0;
            case EQ -> arg == value;
            case GE -> Long.compareUnsigned(arg, value) >= 0;
            case GT -> Long.compareUnsigned(arg, value) > 0;
            case MASKED_EQ -> (arg & value) == valueTwo;
        };
    }

    @JsonCreator
    public static ComparisonOp fromJson(String name) {
        for (ComparisonOp op : values()) {
            if (op.jsonName.equals(name)) {
                return op;
            }
        }
        throw new IllegalArgumentException("unknown seccomp comparison: " + name);
    }
}
