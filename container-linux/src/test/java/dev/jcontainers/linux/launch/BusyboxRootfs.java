package dev.jcontainers.linux.launch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import dev.jcontainers.linux.launch.LaunchPlan.LogConfig;
import dev.jcontainers.linux.namespace.Namespace;
import dev.jcontainers.testkit.Requirements;

/**
 * A minimal root filesystem for real launches: Debian's static busybox plus applet links, in a temp
 * directory next to a state directory. Mounts happen only in the containers' own mount namespaces, so
 * cleaning up is deleting the directory.
 */
final class BusyboxRootfs implements AutoCloseable {
    static final List<String> APPLETS = List.of("sh", "echo", "cat", "hostname", "sleep", "ls", "id", "true", "grep",
            "mount", "readlink", "stat");
    static final List<String> ENV = List.of("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
            "HOME=/root");

    final Path base;
    final Path rootfs;
    final Path stateDir;
    final Path cache;

    private BusyboxRootfs(Path base) {
        this.base = base;
        this.rootfs = base.resolve("rootfs");
        this.stateDir = base.resolve("state");
        this.cache = base.resolve("bin");
    }

    /** Skips (or fails under CI) unless root with a static busybox at /bin/busybox. */
    static BusyboxRootfs create() throws IOException {
        Requirements.requireRoot();
        Path busybox = Requirements.requireFile(Path.of("/bin/busybox"));
        Path base = Files.createTempDirectory("jc-launch-");
        BusyboxRootfs fs = new BusyboxRootfs(base);
        try {
            // uid 100000 (a USER namespace test) must be able to walk down to its root
            Files.setPosixFilePermissions(base, PosixFilePermissions.fromString("rwxr-xr-x"));
            for (String d : List.of("bin", "proc", "dev", "sys", "tmp", "etc", "root")) {
                Files.createDirectories(fs.rootfs.resolve(d));
            }
            Files.copy(busybox, fs.rootfs.resolve("bin/busybox"));
            for (String applet : APPLETS) {
                Files.createSymbolicLink(fs.rootfs.resolve("bin").resolve(applet), Path.of("busybox"));
            }
            Files.createDirectories(fs.stateDir);
        } catch (IOException | RuntimeException e) {
            fs.close();
            throw e;
        }
        return fs;
    }

    Launcher launcher() {
        return Launcher.extractedTo(cache);
    }

    Path log() {
        return stateDir.resolve("container.log");
    }

    /** A plan with the standard mounts, logged stdio and the given private namespaces (MNT always). */
    LaunchPlan.Builder plan(Namespace... namespaces) {
        LaunchPlan.Builder b = LaunchPlan.builder().privateNamespaces(Namespace.MNT).privateNamespaces(namespaces);
        List<Namespace> ns = List.of(namespaces);
        return b.mounts(ContainerMounts.standard(rootfs, ns.contains(Namespace.USER), ns.contains(Namespace.NET),
                        ns.contains(Namespace.IPC), List.of()))
                .env(ENV)
                .cwd("/")
                .stdio(LaunchPlan.Stdio.LOGGED)
                .log(LogConfig.unbounded(log()))
                .stateDir(stateDir);
    }

    @Override
    public void close() throws IOException {
        TestFiles.deleteRecursively(base);
    }
}
