package dev.jcontainers.linux.net.nft;

import dev.jcontainers.api.ContainerException;

/**
 * libnftables refused a script: {@link #error()} is its own diagnostic (the failing command with a caret
 * under the culprit, and the kernel's reason, e.g. {@code Could not process rule: File exists}).
 */
public class NftException extends ContainerException {
    private final String script;
    private final String error;

    public NftException(String script, String error) {
        super("nftables refused the ruleset change: " + error.strip());
        this.script = script;
        this.error = error;
    }

    NftException(String message) {
        super(message);
        this.script = "";
        this.error = message;
    }

    public String script() {
        return script;
    }

    public String error() {
        return error;
    }

    /** The kernel answered EEXIST: the object (table, set element ...) is there already. */
    public boolean alreadyExists() {
        return error.contains("File exists");
    }

    /**
     * The table, set or element named is not there: the kernel answered ENOENT, or (interval sets, whose
     * elements libnftables checks itself) the library said so.
     */
    public boolean notFound() {
        return error.contains("No such file or directory") || error.contains("element does not exist");
    }
}
