package dev.jcontainers.linux.cgroup;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A cgroup2 tree in a temp dir that behaves as the kernel does where our logic depends on it: mkdir
 * populates the control files of the controllers the parent enabled, writes to absent files fail,
 * cgroup.subtree_control takes "+controller" only for available controllers, io.max keeps one line per
 * device, rmdir refuses a populated cgroup. Every write is logged for format checks.
 */
final class FakeCgroupFs implements CgroupFs {

    private static final Map<String, Map<String, String>> CONTROLLER_FILES = Map.of(
            "memory", Map.of("memory.max", "max", "memory.low", "0", "memory.swap.max", "max",
                    "memory.current", "0", "memory.peak", "0",
                    "memory.events", "low 0\nhigh 0\nmax 0\noom 0\noom_kill 0\noom_group_kill 0\n"),
            "cpu", Map.of("cpu.max", "max 100000", "cpu.weight", "100",
                    "cpu.stat", "usage_usec 0\nuser_usec 0\nsystem_usec 0\n"),
            "pids", Map.of("pids.max", "max", "pids.current", "0"),
            "io", Map.of("io.max", "", "io.weight", "default 100"),
            "cpuset", Map.of("cpuset.cpus", "", "cpuset.mems", ""));

    final Path root;
    final List<String> writes = new ArrayList<>();

    FakeCgroupFs(Path root, String controllers) throws IOException {
        this.root = root;
        Files.writeString(root.resolve("cgroup.controllers"), controllers + "\n");
        Files.writeString(root.resolve("cgroup.subtree_control"), "\n");
        Files.writeString(root.resolve("cgroup.procs"), "");
    }

    @Override
    public boolean exists(Path file) {
        return Files.exists(file);
    }

    @Override
    public String read(Path file) throws IOException {
        return Files.readString(file);
    }

    @Override
    public synchronized void write(Path file, String value) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString());
        }
        writes.add(root.relativize(file) + "=" + value);
        String name = file.getFileName().toString();
        if (name.equals("cgroup.subtree_control")) {
            Set<String> available = words(file.resolveSibling("cgroup.controllers"));
            Set<String> enabled = new LinkedHashSet<>(words(file));
            for (String op : value.trim().split("\\s+")) {
                String controller = op.substring(1);
                if (!available.contains(controller)) {
                    throw new FileSystemException(file.toString(), null, "No such file or directory");
                }
                if (op.charAt(0) == '+') {
                    enabled.add(controller);
                } else {
                    enabled.remove(controller);
                }
            }
            Files.writeString(file, String.join(" ", enabled) + "\n");
        } else if (name.equals("io.max")) {
            String device = value.split(" ")[0];
            List<String> lines = new ArrayList<>(Files.readAllLines(file));
            lines.removeIf(l -> l.startsWith(device + " "));
            lines.add(value);
            Files.write(file, lines);
        } else {
            Files.writeString(file, value + "\n", StandardOpenOption.TRUNCATE_EXISTING);
        }
        if (name.equals("cgroup.freeze")) { // an empty fake cgroup freezes (and thaws) at once
            Files.writeString(file.resolveSibling("cgroup.events"), "populated 0\nfrozen " + value.strip() + "\n");
        }
    }

    /** Sets a kernel-owned file (usage counters, events) as the kernel would. */
    void kernelSets(Path file, String value) throws IOException {
        Files.writeString(file, value);
    }

    @Override
    public synchronized boolean mkdir(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return false;
        }
        Files.createDirectory(dir);
        Set<String> inherited = words(dir.getParent().resolve("cgroup.subtree_control"));
        Files.writeString(dir.resolve("cgroup.controllers"), String.join(" ", inherited) + "\n");
        Files.writeString(dir.resolve("cgroup.subtree_control"), "\n");
        Files.writeString(dir.resolve("cgroup.procs"), "");
        Files.writeString(dir.resolve("cgroup.events"), "populated 0\nfrozen 0\n");
        Files.writeString(dir.resolve("cgroup.kill"), "");
        Files.writeString(dir.resolve("cgroup.freeze"), "0\n");
        for (String controller : inherited) {
            for (var file : CONTROLLER_FILES.getOrDefault(controller, Map.of()).entrySet()) {
                Files.writeString(dir.resolve(file.getKey()), file.getValue() + (file.getValue().isEmpty() ? "" : "\n"));
            }
        }
        return true;
    }

    @Override
    public synchronized void rename(Path from, Path to) throws IOException {
        Files.move(from, to); // a directory within one parent: a plain rename(2)
    }

    @Override
    public synchronized void rmdir(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return;
        }
        boolean populated = !Files.readString(dir.resolve("cgroup.procs")).isBlank();
        try (Stream<Path> children = Files.list(dir)) {
            if (populated || children.anyMatch(Files::isDirectory)) {
                throw new FileSystemException(dir.toString(), null, "Device or resource busy");
            }
        }
        try (Stream<Path> children = Files.list(dir)) {
            for (Path file : children.toList()) {
                Files.delete(file);
            }
        }
        Files.delete(dir);
    }

    private static Set<String> words(Path file) throws IOException {
        return Arrays.stream(Files.readString(file).trim().split("\\s+")).filter(w -> !w.isEmpty())
                .collect(Collectors.toCollection(LinkedHashSet::new));
    }
}
