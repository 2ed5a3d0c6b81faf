package dev.jcontainers.oci.layer;

import org.junit.jupiter.api.Assumptions;

/** Tests that need root (mknod, chown, trusted.* xattrs) skip without it, except under CI=true, where they fail. */
final class Root {
    private Root() {
    }

    static void require() {
        if (PosixFiles.isRoot()) {
            return;
        }
        String reason = "needs root for device nodes, ownership and trusted.* xattrs";
        if ("true".equals(System.getenv("CI"))) {
            throw new AssertionError("CI=true but " + reason);
        }
        System.out.println("SKIPPED: " + reason);
        Assumptions.abort(reason);
    }
}
