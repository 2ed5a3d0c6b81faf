package dev.jcontainers.oci.layer;

/**
 * How a layer is unpacked.
 *
 * @param uidShift     added to every owner uid from the tar (user-namespace remapping); 0 keeps them
 * @param gidShift     added to every group gid from the tar
 * @param allowDevices whether character and block device entries may be created (whiteouts, the 0:0
 *                     character device, are always allowed: they are overlayfs's deletion markers)
 * @param chown        whether owners are applied; needs root (or CAP_CHOWN), otherwise files belong to the caller
 */
public record UnpackOptions(int uidShift, int gidShift, boolean allowDevices, boolean chown) {
    public UnpackOptions {
        if (uidShift < 0 || gidShift < 0) {
            throw new IllegalArgumentException("uid/gid shift must not be negative");
        }
    }

    /** Owners as in the tar when running as root, devices allowed, no shift. */
    public static UnpackOptions defaults() {
        return new UnpackOptions(0, 0, true, PosixFiles.Euid.isRoot());
    }

    public UnpackOptions withDevicesAllowed(boolean allowDevices) {
        return new UnpackOptions(uidShift, gidShift, allowDevices, chown);
    }
}
