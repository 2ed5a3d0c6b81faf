package dev.jcontainers.core.container;

import dev.jcontainers.linux.mount.MountInfo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * What containers could leak into the host and this JVM, counted: mounts below the engine root, container
 * directories (also those still being deleted in the trash) and name claims, this JVM's open fds, platform
 * threads and child processes.
 *
 * <p>Mounts are counted below the engine root only, and cgroups by container id: other test JVMs on the
 * machine mount and make cgroups under the same parent at the same time. Threads exclude the JDK's
 * ForkJoinPool workers (virtual-thread carriers), which the JDK itself grows and retires.
 */
record HostFootprint(long mounts, long containerEntries, long fds, long threads, long children) {

    static HostFootprint of(Path engineRoot) {
        long mounts = MountInfo.self().stream().filter(m -> m.mountPoint().startsWith(engineRoot)).count();
        Path containers = engineRoot.resolve("containers");
        long entries = list(containers).stream().filter(p -> !p.getFileName().toString().startsWith(".")).count()
                + count(containers.resolve(".names")) + count(containers.resolve(".tmp"))
                + count(containers.resolve(".trash"));
        return new HostFootprint(mounts, entries, count(Path.of("/proc/self/fd")),
                platformThreads(), ProcessHandle.current().children().count());
    }

    /** Polls until this footprint is back to {@code before} (exit watchers finish asynchronously). */
    static HostFootprint awaitBack(Path engineRoot, HostFootprint before, long timeoutMillis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        HostFootprint now = of(engineRoot);
        while (!now.notAbove(before) && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
            now = of(engineRoot);
        }
        return now;
    }

    boolean notAbove(HostFootprint before) {
        return mounts <= before.mounts && containerEntries <= before.containerEntries && fds <= before.fds
                && threads <= before.threads && children <= before.children;
    }

    /** The cgroup directories, in every hierarchy, still named after one of {@code ids} below {@code parent}. */
    static List<Path> cgroupsLeft(String parent, Collection<String> ids) {
        Path fs = Path.of("/sys/fs/cgroup");
        Stream<Path> parents = Stream.concat(Stream.of(fs.resolve(parent)),
                list(fs).stream().map(hierarchy -> hierarchy.resolve(parent)));
        return parents.filter(Files::isDirectory)
                .flatMap(p -> ids.stream().map(p::resolve))
                .filter(Files::exists)
                .toList();
    }

    private static long platformThreads() {
        ThreadInfo[] infos = ManagementFactory.getThreadMXBean().dumpAllThreads(false, false);
        return Arrays.stream(infos).filter(Objects::nonNull)
                .filter(t -> !t.getThreadName().startsWith("ForkJoinPool"))
                .count();
    }

    private static long count(Path dir) {
        return list(dir).size();
    }

    private static List<Path> list(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
