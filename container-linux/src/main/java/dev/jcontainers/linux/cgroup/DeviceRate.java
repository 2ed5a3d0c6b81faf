package dev.jcontainers.linux.cgroup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A per-device I/O throttle: {@code rate} bytes or operations per second on block device
 * {@code major:minor}. A rate of 0 removes the throttle.
 */
public record DeviceRate(long major, long minor, long rate) {

    private static final int S_IFMT = 0170000;
    private static final int S_IFBLK = 0060000;

    public DeviceRate {
        if (major < 0 || minor < 0) {
            throw new InvalidCgroupLimitException("device", "negative device number " + major + ":" + minor);
        }
        if (rate < 0) {
            throw new InvalidCgroupLimitException("device rate", "negative rate " + rate + " for " + major + ":" + minor);
        }
    }

    /** The throttle for the block device node at {@code device} (e.g. {@code /dev/sda}). */
    public static DeviceRate of(Path device, long rate) {
        long rdev;
        try {
            int mode = (Integer) Files.getAttribute(device, "unix:mode");
            if ((mode & S_IFMT) != S_IFBLK) {
                throw new InvalidCgroupLimitException("device", device + " is not a block device");
            }
            rdev = (Long) Files.getAttribute(device, "unix:rdev");
        } catch (IOException e) {
            throw new InvalidCgroupLimitException("device", device + ": " + e.getMessage());
        }
        // glibc's gnu_dev_major/gnu_dev_minor split of a 64-bit dev_t
        long major = ((rdev >>> 8) & 0xfff) | ((rdev >>> 32) & 0xfffff000L);
        long minor = (rdev & 0xff) | ((rdev >>> 12) & 0xffffff00L);
        return new DeviceRate(major, minor, rate);
    }

    /** {@code major:minor}, the device key every blkio/io file uses. */
    public String device() {
        return major + ":" + minor;
    }
}
