package dev.jcontainers.linux.seccomp;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;

/**
 * A condition on one system call argument ({@code index} 0 to 5). {@code value} and {@code valueTwo} are
 * unsigned 64-bit numbers in the JSON (Go's {@code uint64}); here they are held in a {@code long} bit for
 * bit.
 */
public record ArgCondition(
        int index,
        @JsonDeserialize(using = Uint64Deserializer.class) long value,
        @JsonDeserialize(using = Uint64Deserializer.class) long valueTwo,
        ComparisonOp op) {

    public static final int MAX_ARGS = 6;

    public ArgCondition {
        if (index < 0 || index >= MAX_ARGS) {
            throw new IllegalArgumentException("argument index must be 0 to 5, not " + index);
        }
        if (op == null) {
            throw new IllegalArgumentException("argument condition without op");
        }
    }

    public static ArgCondition of(int index, ComparisonOp op, long value) {
        return new ArgCondition(index, value, 0, op);
    }

    public boolean test(long[] args) {
        return op.test(args[index], value, valueTwo);
    }
}
