package dev.jcontainers.linux.proc;

import dev.jcontainers.api.ProcessInfo;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Processes read from the host's {@code /proc}: {@code stat} (state, parent, terminal, times, memory),
 * {@code status} (effective uid) and {@code cmdline}, as {@code ps} reads them. A process that exits while it
 * is read is left out.
 */
public final class ProcessTable {
    /** USER_HZ: what /proc reports times in; fixed at 100 on every architecture's user ABI. */
    private static final long CLOCK_TICKS = 100;
    private static final long PAGE_SIZE = 4096;

    private final Path proc;
    private final Map<Long, String> users;

    private ProcessTable(Path proc, Map<Long, String> users) {
        this.proc = proc;
        this.users = users;
    }

    /** The host's /proc, users named from the host's /etc/passwd. */
    public static ProcessTable host() {
        return new ProcessTable(Path.of("/proc"), readPasswd(Path.of("/etc/passwd")));
    }

    /** The given pids, in pid order, those still alive. */
    public List<ProcessInfo> read(Collection<Long> pids) {
        Instant boot = bootTime();
        List<ProcessInfo> out = new ArrayList<>();
        pids.stream().sorted().forEach(pid -> read(pid, boot).ifPresent(out::add));
        return out;
    }

    private Optional<ProcessInfo> read(long pid, Instant boot) {
        Path dir = proc.resolve(Long.toString(pid));
        try {
            String stat = Files.readString(dir.resolve("stat"));
            // comm may hold spaces and parentheses: it ends at the last ')'
            int open = stat.indexOf('(');
            int close = stat.lastIndexOf(')');
            String name = stat.substring(open + 1, close);
            String[] f = stat.substring(close + 2).split(" ");
            // f[0] is field 3 (state) of proc(5)
            char state = f[0].charAt(0);
            long ppid = Long.parseLong(f[1]);
            int ttyNr = Integer.parseInt(f[4]);
            long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
            long startTicks = Long.parseLong(f[19]);
            long vsz = Long.parseLong(f[20]);
            long rss = Long.parseLong(f[21]) * PAGE_SIZE;
            long uid = effectiveUid(Files.readAllLines(dir.resolve("status")));
            List<String> args = cmdline(Files.readAllBytes(dir.resolve("cmdline")));
            Instant started = boot.plusMillis(startTicks * 1000 / CLOCK_TICKS);
            return Optional.of(new ProcessInfo(pid, ppid, uid, users.getOrDefault(uid, Long.toString(uid)), state,
                    started, Duration.ofMillis(ticks * 1000 / CLOCK_TICKS), tty(ttyNr), rss, vsz, name, args));
        } catch (NoSuchFileException e) {
            return Optional.empty(); // exited meanwhile
        } catch (IOException e) {
            if (!Files.exists(dir)) {
                return Optional.empty();
            }
            throw new dev.jcontainers.api.ContainerException("cannot read " + dir + ": " + e.getMessage(), e);
        }
    }

    private static long effectiveUid(List<String> status) {
        for (String line : status) {
            if (line.startsWith("Uid:")) {
                return Long.parseLong(line.substring(4).trim().split("\\s+")[1]);
            }
        }
        return -1;
    }

    static List<String> cmdline(byte[] raw) {
        List<String> args = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < raw.length; i++) {
            if (raw[i] == 0) {
                args.add(new String(raw, start, i - start, StandardCharsets.UTF_8));
                start = i + 1;
            }
        }
        if (start < raw.length) { // a process may overwrite its arguments without the final NUL
            args.add(new String(raw, start, raw.length - start, StandardCharsets.UTF_8));
        }
        return args;
    }

    /** The terminal name as ps prints it, from the device number in stat's tty_nr. */
    static String tty(int ttyNr) {
        int major = (ttyNr >>> 8) & 0xfff;
        int minor = (ttyNr & 0xff) | ((ttyNr >>> 12) & 0xfff00);
        if (ttyNr == 0) {
            return "?";
        }
        if (major >= 136 && major <= 143) {
            return "pts/" + ((major - 136) * 256 + minor);
        }
        if (major == 4 && minor < 64) {
            return "tty" + minor;
        }
        if (major == 4) {
            return "ttyS" + (minor - 64);
        }
        return "?";
    }

    private Instant bootTime() {
        try {
            for (String line : Files.readAllLines(proc.resolve("stat"))) {
                if (line.startsWith("btime ")) {
                    return Instant.ofEpochSecond(Long.parseLong(line.substring(6).trim()));
                }
            }
        } catch (IOException e) {
            throw new dev.jcontainers.api.ContainerException("cannot read " + proc.resolve("stat") + ": " + e.getMessage(), e);
        }
        throw new dev.jcontainers.api.ContainerException(proc.resolve("stat") + " has no btime line");
    }

    private static Map<Long, String> readPasswd(Path passwd) {
        Map<Long, String> names = new HashMap<>();
        try {
            for (String line : Files.readAllLines(passwd)) {
                String[] f = line.split(":");
                if (f.length > 2 && f[2].matches("\\d+")) {
                    names.putIfAbsent(Long.parseLong(f[2]), f[0]);
                }
            }
        } catch (IOException e) {
            // no names: ps prints numbers then too
        }
        return names;
    }
}
