package dev.jcontainers.linux.cgroup;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Reads and writes cgroup control files with cgroupfs's value conventions and errors that name the file. */
final class ControlFiles {

    /** v1 reports "no limit" as the largest page-aligned counter; anything this large is unlimited. */
    private static final long V1_UNLIMITED_THRESHOLD = 1L << 62;

    private final CgroupFs fs;

    ControlFiles(CgroupFs fs) {
        this.fs = fs;
    }

    boolean exists(Path dir) {
        return fs.exists(dir);
    }

    boolean has(Path dir, String file) {
        return fs.exists(dir.resolve(file));
    }

    String read(Path dir, String file) {
        try {
            return fs.read(dir.resolve(file)).strip();
        } catch (IOException e) {
            throw new CgroupException("cannot read " + dir.resolve(file) + ": " + e.getMessage(), e);
        }
    }

    /** Empty when the file is absent, also when its cgroup is removed meanwhile (by another engine or watcher). */
    Optional<String> readIfPresent(Path dir, String file) {
        Path path = dir.resolve(file);
        try {
            return Optional.of(fs.read(path).strip());
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            // a cgroup being removed answers ENODEV, possibly while its files are still listed
            if (!fs.exists(path) || String.valueOf(e.getMessage()).contains("No such device")) {
                return Optional.empty();
            }
            throw new CgroupException("cannot read " + path + ": " + e.getMessage(), e);
        }
    }

    /** A number, with "max" (v2) and v1's huge sentinel both read as -1 (unlimited); -1 if the file is absent. */
    long readLimit(Path dir, String file) {
        return readIfPresent(dir, file).map(ControlFiles::parseLimit).orElse(-1L);
    }

    static long parseLimit(String value) {
        if (value.equals("max") || value.equals("-1")) {
            return -1;
        }
        long parsed = Long.parseLong(value);
        return parsed >= V1_UNLIMITED_THRESHOLD ? -1 : parsed;
    }

    /** A flat-keyed file ("key value" per line) such as memory.events, cpu.stat or memory.oom_control. */
    Map<String, Long> readKeyed(Path dir, String file) {
        Map<String, Long> values = new HashMap<>();
        readIfPresent(dir, file).ifPresent(text -> text.lines().forEach(line -> {
            String[] kv = line.trim().split("\\s+");
            if (kv.length == 2) {
                try {
                    values.put(kv[0], Long.parseLong(kv[1]));
                } catch (NumberFormatException e) {
                    // a non-numeric entry is not one we read
                }
            }
        }));
        return values;
    }

    void write(Path dir, String file, String value) {
        try {
            fs.write(dir.resolve(file), value);
        } catch (IOException e) {
            throw new CgroupException("cannot write \"" + value + "\" to " + dir.resolve(file) + ": " + reason(e), e);
        }
    }

    boolean mkdir(Path dir) {
        try {
            return fs.mkdir(dir);
        } catch (IOException e) {
            throw new CgroupException("cannot create cgroup " + dir + ": " + reason(e), e);
        }
    }

    void rename(Path from, Path to) {
        try {
            fs.rename(from, to);
        } catch (IOException e) {
            throw new CgroupException("cannot rename cgroup " + from + " to " + to.getFileName() + ": " + reason(e), e);
        }
    }

    /** The processes in a cgroup (cgroup.procs): thread-group ids as seen from our pid namespace. */
    List<Long> pids(Path dir) {
        List<Long> pids = new ArrayList<>();
        readIfPresent(dir, "cgroup.procs").ifPresent(procs -> procs.lines().map(String::trim)
                .filter(l -> !l.isEmpty()).forEach(l -> pids.add(Long.parseLong(l))));
        return pids;
    }

    /** SIGKILLs {@code pid}; the JDK checks the start time, so a pid reused meanwhile is spared. */
    static void sigkill(long pid) {
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
    }

    /** Polls until {@code dir} holds no process; false on timeout. A missing dir is empty. */
    boolean awaitEmpty(Path dir, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        long pauseMillis = 1;
        while (fs.exists(dir) && !pids(dir).isEmpty()) {
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            sleep(pauseMillis);
            pauseMillis = Math.min(pauseMillis * 2, 20);
        }
        return true;
    }

    /** Removes {@code dir} unless the kernel finds it in use (a child cgroup, or a process); true if it is gone. */
    boolean removeDirIfUnused(Path dir) {
        try {
            fs.rmdir(dir);
            return true;
        } catch (IOException e) {
            if (!exists(dir)) {
                return true;
            }
            if (CgroupFs.isBusy(e)) {
                return false;
            }
            throw new CgroupException("cannot remove cgroup " + dir + ": " + reason(e), e);
        }
    }

    /**
     * Removes a cgroup directory once its processes are gone. rmdir comes first: the kernel refuses a
     * populated cgroup (EBUSY), so the usual case, an emptied cgroup, costs one call rather than a read of
     * cgroup.procs too. On EBUSY this waits for the processes to go; with none left the kernel is still
     * releasing the last one's state for a short while, which is retried until the deadline.
     */
    void removeDir(Path dir, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        long pauseMillis = 1;
        while (true) {
            try {
                fs.rmdir(dir);
                return;
            } catch (IOException e) {
                if (!exists(dir)) {
                    return; // removed by someone else meanwhile: the outcome we wanted
                }
                if (!CgroupFs.isBusy(e) || System.nanoTime() - deadline > 0) {
                    throw new CgroupException("cannot remove cgroup " + dir + ": " + reason(e), e);
                }
            }
            if (!pids(dir).isEmpty()) {
                if (!awaitEmpty(dir, Duration.ofNanos(Math.max(0, deadline - System.nanoTime())))) {
                    throw new CgroupException("cgroup " + dir + " still has processes " + pids(dir) + " after " + timeout);
                }
                continue;
            }
            sleep(pauseMillis);
            pauseMillis = Math.min(pauseMillis * 2, 20);
        }
    }

    private static String reason(IOException e) {
        return e instanceof java.nio.file.FileSystemException fse && fse.getReason() != null
                ? fse.getReason() : String.valueOf(e.getMessage());
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CgroupException("interrupted while waiting for a cgroup", e);
        }
    }
}
