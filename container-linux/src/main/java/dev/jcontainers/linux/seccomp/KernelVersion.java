package dev.jcontainers.linux.seccomp;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A kernel release as {@code major.minor}, for a profile rule's {@code minKernel}. */
public record KernelVersion(int major, int minor) implements Comparable<KernelVersion> {
    private static final Pattern LEADING = Pattern.compile("^(\\d+)\\.(\\d+)");
    private static final Path OSRELEASE = Path.of("/proc/sys/kernel/osrelease");
    /** Read at first use; two threads reading it at once both get the same answer. */
    private static volatile KernelVersion running;

    /** Parses {@code "4.8"} or a full release such as {@code "6.18.44-fc-v669"}. */
    public static KernelVersion parse(String release) {
        Matcher m = LEADING.matcher(release.strip());
        if (!m.find()) {
            throw new IllegalArgumentException("not a kernel version: " + release);
        }
        return new KernelVersion(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
    }

    /** The running kernel's version, read once: every start with the default seccomp profile asks. */
    public static KernelVersion current() {
        KernelVersion v = running;
        if (v == null) {
            try {
                // Whole lines, not Files.readString, whose one-byte first read sysctl files answer badly.
                v = running = parse(Files.readAllLines(OSRELEASE).getFirst());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + OSRELEASE, e);
            }
        }
        return v;
    }

    @Override
    public int compareTo(KernelVersion other) {
        return major != other.major ? Integer.compare(major, other.major) : Integer.compare(minor, other.minor);
    }

    @Override
    public String toString() {
        return major + "." + minor;
    }
}
