package dev.jcontainers.core.copy;

import java.util.function.LongUnaryOperator;

/**
 * Who owns what a copy creates: a function from the ids an archive entry carries to the ids written on
 * disk. Docker gives files copied into a container to root (0:0) and files copied out to the caller,
 * unless {@code -a} keeps the archive's ids; a container with a user namespace maps either to host ids.
 */
public record Ownership(LongUnaryOperator uid, LongUnaryOperator gid) {
    /** Everything to {@code uid:gid}. */
    public static Ownership fixed(long uid, long gid) {
        return new Ownership(id -> uid, id -> gid);
    }

    /** The archive's ids, through {@code uidMap} and {@code gidMap}. */
    public static Ownership mapped(LongUnaryOperator uidMap, LongUnaryOperator gidMap) {
        return new Ownership(uidMap, gidMap);
    }
}
