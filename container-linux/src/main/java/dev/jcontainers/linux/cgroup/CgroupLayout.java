package dev.jcontainers.linux.cgroup;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Where the host mounts its cgroup hierarchies, read from {@code /proc/self/mountinfo}.
 *
 * <p>A host with any v1 controller hierarchy is driven through v1, even when it also mounts cgroup2
 * (the "hybrid" layout, whose unified tree typically holds no resource controllers); a host whose only
 * cgroup hierarchy is cgroup2 is pure v2.
 *
 * @param version       the interface limits are written through
 * @param v1Controllers v1 controller name to the mount point serving it (shared by co-mounted ones such as cpu,cpuacct)
 * @param unified       the cgroup2 mount point, if any
 */
public record CgroupLayout(CgroupVersion version, Map<String, Path> v1Controllers, Optional<Path> unified) {

    /** The v1 controllers the kernel knows; anything else in a cgroup mount's options is a flag. */
    static final Set<String> V1_CONTROLLERS = Set.of("cpu", "cpuacct", "cpuset", "memory", "devices", "freezer",
            "net_cls", "net_prio", "blkio", "perf_event", "hugetlb", "pids", "rdma", "misc");

    private static final Path PREFERRED_UNIFIED = Path.of("/sys/fs/cgroup");

    public CgroupLayout {
        v1Controllers = Map.copyOf(v1Controllers);
    }

    /** True for a v1 host that also mounts cgroup2. */
    public boolean hybrid() {
        return version == CgroupVersion.V1 && unified.isPresent();
    }

    /**
     * Reads the layout from the text of {@code /proc/self/mountinfo}; {@code filesystems} (the text of
     * {@code /proc/filesystems}) only sharpens the error when nothing is mounted.
     */
    public static CgroupLayout parse(String mountinfo, String filesystems) {
        Map<String, Path> v1 = new LinkedHashMap<>();
        Path unified = null;
        for (String line : mountinfo.split("\n")) {
            String[] fields = line.trim().split(" ");
            int separator = indexOf(fields, "-");
            // id parent major:minor root mountpoint options [optional...] - fstype source superoptions
            if (separator < 6 || separator + 3 >= fields.length) {
                continue;
            }
            Path mountPoint = Path.of(unescape(fields[4]));
            String fsType = fields[separator + 1];
            if (fsType.equals("cgroup2")) {
                if (unified == null || mountPoint.equals(PREFERRED_UNIFIED)) {
                    unified = mountPoint;
                }
            } else if (fsType.equals("cgroup")) {
                for (String option : fields[separator + 3].split(",")) {
                    if (V1_CONTROLLERS.contains(option)) {
                        v1.putIfAbsent(option, mountPoint); // the first mount wins; later ones are usually binds
                    }
                }
            }
        }
        if (!v1.isEmpty()) {
            return new CgroupLayout(CgroupVersion.V1, v1, Optional.ofNullable(unified));
        }
        if (unified != null) {
            return new CgroupLayout(CgroupVersion.V2, Map.of(), Optional.of(unified));
        }
        boolean kernelHasCgroup2 = filesystems.lines()
                .map(l -> l.trim().split("\\s+")).anyMatch(f -> f[f.length - 1].equals("cgroup2"));
        throw new CgroupException("no cgroup hierarchy is mounted"
                + (kernelHasCgroup2 ? " (the kernel supports cgroup2: mount -t cgroup2 none /sys/fs/cgroup)"
                                    : " and the kernel lists no cgroup2 file system"));
    }

    private static int indexOf(String[] fields, String value) {
        for (int i = 6; i < fields.length; i++) {
            if (fields[i].equals(value)) {
                return i;
            }
        }
        return -1;
    }

    /** mountinfo escapes space, tab, newline and backslash as three octal digits. */
    static String unescape(String field) {
        if (field.indexOf('\\') < 0) {
            return field;
        }
        StringBuilder out = new StringBuilder(field.length());
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c == '\\' && isOctal(field, i + 1)) {
                out.append((char) Integer.parseInt(field.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static boolean isOctal(String s, int from) {
        if (from + 3 > s.length()) {
            return false;
        }
        for (int i = from; i < from + 3; i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '7') {
                return false;
            }
        }
        return true;
    }
}
