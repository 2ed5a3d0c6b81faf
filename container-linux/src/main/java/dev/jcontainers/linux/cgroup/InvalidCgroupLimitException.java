package dev.jcontainers.linux.cgroup;

/** A resource limit value is out of range or malformed; {@link #field()} names the limit. */
public final class InvalidCgroupLimitException extends IllegalArgumentException {
    private final String field;

    public InvalidCgroupLimitException(String field, String reason) {
        super("invalid cgroup limit " + field + ": " + reason);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
