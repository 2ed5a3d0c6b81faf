package dev.jcontainers.linux.mount;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One line of {@code /proc/<pid>/mountinfo} (proc(5)):
 * <pre>36 35 98:0 /mnt1 /mnt2 rw,noatime master:1 - ext3 /dev/root rw,errors=continue</pre>
 * Paths and sources come back unescaped (the kernel writes space, tab, newline and backslash as
 * {@code \040}, {@code \011}, {@code \012}, {@code \134}).
 *
 * @param optionalFields propagation tags such as {@code shared:1}, {@code master:2}, {@code unbindable}
 */
public record MountInfo(int mountId, int parentId, int major, int minor, String root, Path mountPoint,
        String mountOptions, List<String> optionalFields, String fsType, String source, String superOptions) {

    public MountInfo {
        optionalFields = List.copyOf(optionalFields);
    }

    /** The mount table of this process, in mount order (parents before children). */
    public static List<MountInfo> self() {
        return read(Path.of("/proc/self/mountinfo"));
    }

    /** The mount table as seen by process {@code pid} (its mount namespace and root). */
    public static List<MountInfo> ofProcess(long pid) {
        return read(Path.of("/proc", Long.toString(pid), "mountinfo"));
    }

    public static List<MountInfo> read(Path mountinfoFile) {
        try {
            return parse(Files.readString(mountinfoFile, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + mountinfoFile, e);
        }
    }

    public static List<MountInfo> parse(String table) {
        List<MountInfo> mounts = new ArrayList<>();
        for (String line : table.split("\n")) {
            if (!line.isBlank()) {
                mounts.add(parseLine(line));
            }
        }
        return mounts;
    }

    public static MountInfo parseLine(String line) {
        String[] f = line.split(" ");
        int separator = -1;
        for (int i = 6; i < f.length; i++) {
            if (f[i].equals("-")) {
                separator = i;
                break;
            }
        }
        if (f.length < 10 || separator < 0 || f.length < separator + 4) {
            throw new IllegalArgumentException("malformed mountinfo line: " + line);
        }
        try {
            String[] device = f[2].split(":", 2);
            return new MountInfo(Integer.parseInt(f[0]), Integer.parseInt(f[1]), Integer.parseInt(device[0]),
                    Integer.parseInt(device[1]), unescape(f[3]), Path.of(unescape(f[4])), f[5],
                    List.of(f).subList(6, separator), unescape(f[separator + 1]), unescape(f[separator + 2]),
                    f[separator + 3]);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("malformed mountinfo line: " + line, e);
        }
    }

    /** Undoes the kernel's {@code \ooo} octal escapes (seq_file's {@code mangle_path}). */
    static String unescape(String field) {
        if (field.indexOf('\\') < 0) {
            return field;
        }
        StringBuilder out = new StringBuilder(field.length());
        byte[] bytes = new byte[field.length()];
        int n = 0;
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c == '\\' && isOctal(field, i + 1)) {
                bytes[n++] = (byte) Integer.parseInt(field.substring(i + 1, i + 4), 8);
                i += 3;
            } else if (c < 0x80) {
                bytes[n++] = (byte) c;
            } else {
                // non-ASCII text was decoded as UTF-8 already; flush and append it as is
                out.append(new String(bytes, 0, n, StandardCharsets.UTF_8)).append(c);
                n = 0;
            }
        }
        return out.append(new String(bytes, 0, n, StandardCharsets.UTF_8)).toString();
    }

    private static boolean isOctal(String s, int from) {
        if (from + 3 > s.length()) {
            return false;
        }
        for (int i = from; i < from + 3; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '7') {
                return false;
            }
        }
        return true;
    }

    /** Whether this mount is in a shared peer group ({@code shared:N}). */
    public boolean isShared() {
        return optionalFields.stream().anyMatch(t -> t.startsWith("shared:"));
    }

    /** Whether this mount receives propagation from a master ({@code master:N}). */
    public boolean isSlave() {
        return optionalFields.stream().anyMatch(t -> t.startsWith("master:"));
    }

    public boolean isReadOnly() {
        return List.of(mountOptions.split(",")).contains("ro");
    }

    /** The value of {@code key=value} in the superblock options, e.g. {@code lowerdir} of an overlay. */
    public Optional<String> superOption(String key) {
        for (String option : superOptions.split(",")) {
            if (option.startsWith(key + "=")) {
                return Optional.of(option.substring(key.length() + 1));
            }
        }
        return Optional.empty();
    }
}
