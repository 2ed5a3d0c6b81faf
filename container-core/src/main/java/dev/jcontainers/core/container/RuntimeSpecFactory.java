package dev.jcontainers.core.container;

import dev.jcontainers.api.ContainerException;
import dev.jcontainers.api.ContainerSpec;
import dev.jcontainers.api.MalformedContentException;
import dev.jcontainers.api.StorageException;
import dev.jcontainers.api.MountSpec;
import dev.jcontainers.api.NamespaceMode;
import dev.jcontainers.api.NetworkMode;
import dev.jcontainers.core.network.NetworkService;
import dev.jcontainers.linux.capability.Capabilities;
import dev.jcontainers.linux.capability.Capability;
import dev.jcontainers.linux.seccomp.SeccompArch;
import dev.jcontainers.linux.seccomp.SeccompCompiler;
import dev.jcontainers.linux.seccomp.SeccompProfile;
import dev.jcontainers.oci.image.ImageConfig;
import dev.jcontainers.oci.runtime.RuntimeSpec;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Derives a container's OCI runtime spec ({@code config.json}) from its image config and the caller's
 * options, with Docker's defaults: its capability set, seccomp profile, mounts, masked and read-only paths,
 * and a private namespace for everything the caller does not share with the host; and its security options
 * ({@code --cap-add/--cap-drop}, {@code --privileged}, {@code --security-opt}, {@code --group-add},
 * {@code --ulimit}).
 */
public final class RuntimeSpecFactory {
    /** What Docker hides of /proc and /sys (moby's oci/defaults.go); none for a privileged container. */
    public static final List<String> MASKED_PATHS = List.of("/proc/asound", "/proc/acpi", "/proc/interrupts",
            "/proc/kcore", "/proc/keys", "/proc/latency_stats", "/proc/timer_list", "/proc/timer_stats",
            "/proc/sched_debug", "/proc/scsi", "/sys/firmware", "/sys/devices/virtual/powercap");

    /** What Docker makes read-only in /proc; a privileged container may write them. */
    public static final List<String> READONLY_PATHS = List.of("/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys",
            "/proc/sysrq-trigger");

    /** The copy of a custom seccomp profile in the container's directory. */
    static final String SECCOMP_FILE = "seccomp.json";

    /** Host range that root in a user namespace maps to; 65536 ids from there. */
    public static final long USERNS_HOST_BASE = 100_000;
    public static final long USERNS_SIZE = 65_536;

    private static final long CPU_PERIOD = 100_000;

    private RuntimeSpecFactory() {
    }

    /**
     * @param containerDir {@code <root>/containers/<id>}, holding {@code rootfs/} and the generated
     *                     hostname/hosts/resolv.conf files
     * @param userMounts   the caller's mounts and the image's volumes, every volume already resolved to a
     *                     bind mount of its data (see {@code VolumeService.attach})
     */
    public static RuntimeSpec create(String id, ContainerSpec spec, ImageConfig image, UserResolver.ResolvedUser user,
                                     String hostname, Path containerDir, List<MountSpec> userMounts) {
        ImageConfig.RuntimeConfig ic = image.config();
        List<String> args = ProcessArgs.resolve(ic == null ? null : ic.entrypoint(), ic == null ? null : ic.cmd(),
                spec.entrypoint(), spec.command());
        String cwd = spec.workingDir() != null ? spec.workingDir()
                : ic != null && ic.workingDir() != null && !ic.workingDir().isEmpty() ? ic.workingDir() : "/";
        List<String> env = EnvMerger.merge(ic == null ? null : ic.env(), spec.env(), hostname, user.home());

        Path rootfs = containerDir.resolve("rootfs");
        List<Long> gids = new ArrayList<>(user.additionalGids());
        for (long gid : UserResolver.resolveGroups(rootfs, spec.groupAdd())) {
            if (!gids.contains(gid)) {
                gids.add(gid);
            }
        }
        Set<Capability> capabilities = capabilities(spec);
        RuntimeSpec.Process process = new RuntimeSpec.Process(spec.tty(),
                new RuntimeSpec.User(user.uid(), user.gid(), null, gids),
                args, env, cwd, RuntimeSpec.Capabilities.of(capabilities.stream().map(Capability::kernelName).toList()),
                rlimits(spec), spec.noNewPrivileges(), null);

        Map<String, String> annotations = new LinkedHashMap<>();
        annotations.put("dev.jcontainers.image", spec.image());
        annotations.put(NetworkService.ANNOTATION, NetworkService.describe(spec.network()));
        annotations.put(LaunchPlanFactory.SECCOMP_ANNOTATION, seccomp(spec, capabilities, containerDir));
        if (spec.stdinOpen()) {
            annotations.put(LaunchPlanFactory.STDIN_OPEN_ANNOTATION, "true");
        }
        spec.labels().forEach((k, v) -> annotations.put("dev.jcontainers.label." + k, v));

        return new RuntimeSpec(RuntimeSpec.VERSION, process,
                new RuntimeSpec.Root(rootfs.toString(), spec.readOnlyRootfs()),
                hostname, null, mounts(spec, containerDir, userMounts), annotations,
                linux(id, spec));
    }

    private static List<RuntimeSpec.Mount> mounts(ContainerSpec spec, Path containerDir, List<MountSpec> userMounts) {
        List<RuntimeSpec.Mount> m = new ArrayList<>();
        m.add(new RuntimeSpec.Mount("/proc", "proc", "proc", List.of("nosuid", "noexec", "nodev")));
        m.add(new RuntimeSpec.Mount("/dev", "tmpfs", "tmpfs", List.of("nosuid", "strictatime", "mode=755", "size=65536k")));
        m.add(new RuntimeSpec.Mount("/dev/pts", "devpts", "devpts",
                List.of("nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5")));
        m.add(new RuntimeSpec.Mount("/sys", "sysfs", "sysfs",
                List.of("nosuid", "noexec", "nodev", spec.privileged() ? "rw" : "ro")));
        m.add(new RuntimeSpec.Mount("/dev/mqueue", "mqueue", "mqueue", List.of("nosuid", "noexec", "nodev")));
        m.add(new RuntimeSpec.Mount("/dev/shm", "tmpfs", "shm",
                List.of("nosuid", "noexec", "nodev", "mode=1777", "size=65536k")));
        for (String file : List.of("hostname", "hosts", "resolv.conf")) {
            m.add(new RuntimeSpec.Mount("/etc/" + file, "bind", containerDir.resolve(file).toString(),
                    List.of("rbind", "rprivate")));
        }
        // as Docker: parents before children (a volume at /data before a bind at /data/conf), else in order
        List<MountSpec> ordered = new ArrayList<>(userMounts);
        ordered.sort(java.util.Comparator.comparingInt(u -> Path.of("/").resolve(u.target()).normalize().getNameCount()));
        for (MountSpec user : ordered) {
            switch (user) {
                case MountSpec.Bind b -> m.add(new RuntimeSpec.Mount(b.target(), "bind",
                        Path.of(b.source()).toAbsolutePath().toString(),
                        List.of("rbind", b.readOnly() ? "ro" : "rw", b.propagation().dockerName())));
                case MountSpec.Tmpfs t -> {
                    List<String> options = new ArrayList<>(List.of("nosuid", "nodev"));
                    if (t.size() != null) {
                        options.add("size=" + t.size().bytes());
                    }
                    options.add("mode=" + Integer.toOctalString(t.mode() == null ? 01777 : t.mode()));
                    m.add(new RuntimeSpec.Mount(t.target(), "tmpfs", "tmpfs", options));
                }
                case MountSpec.Volume v -> throw new IllegalArgumentException(
                        "volume at " + v.target() + " was not resolved to its data directory");
            }
        }
        return m;
    }

    /** The spec with the namespace of {@code type} joined at {@code path} (e.g. another container's netns). */
    public static RuntimeSpec joiningNamespace(RuntimeSpec rs, String type, String path) {
        RuntimeSpec.Linux l = rs.linux();
        List<RuntimeSpec.Namespace> ns = l.namespaces().stream()
                .map(n -> n.type().equals(type) ? new RuntimeSpec.Namespace(type, path) : n).toList();
        RuntimeSpec.Linux linux = new RuntimeSpec.Linux(l.uidMappings(), l.gidMappings(), l.sysctl(), l.resources(),
                l.cgroupsPath(), ns, l.devices(), l.seccomp(), l.rootfsPropagation(), l.maskedPaths(), l.readonlyPaths(),
                l.timeOffsets());
        return new RuntimeSpec(rs.ociVersion(), rs.process(), rs.root(), rs.hostname(), rs.domainname(), rs.mounts(),
                rs.annotations(), linux);
    }

    private static RuntimeSpec.Linux linux(String id, ContainerSpec spec) {
        List<RuntimeSpec.Namespace> ns = new ArrayList<>();
        if (spec.pidMode() == NamespaceMode.PRIVATE) {
            ns.add(new RuntimeSpec.Namespace("pid", null));
        }
        if (!(spec.network() instanceof NetworkMode.Host)) {
            ns.add(new RuntimeSpec.Namespace("network", null));
        }
        if (spec.ipcMode() == NamespaceMode.PRIVATE) {
            ns.add(new RuntimeSpec.Namespace("ipc", null));
        }
        if (spec.utsMode() == NamespaceMode.PRIVATE) {
            ns.add(new RuntimeSpec.Namespace("uts", null));
        }
        ns.add(new RuntimeSpec.Namespace("mount", null));
        ns.add(new RuntimeSpec.Namespace("cgroup", null));
        List<RuntimeSpec.IdMapping> uidMap = List.of();
        List<RuntimeSpec.IdMapping> gidMap = List.of();
        if (spec.userNamespace()) {
            ns.add(new RuntimeSpec.Namespace("user", null));
            uidMap = List.of(new RuntimeSpec.IdMapping(0, USERNS_HOST_BASE, USERNS_SIZE));
            gidMap = List.of(new RuntimeSpec.IdMapping(0, USERNS_HOST_BASE, USERNS_SIZE));
        }
        Map<String, RuntimeSpec.TimeOffset> timeOffsets = new java.util.LinkedHashMap<>();
        if (spec.monotonicOffset() != null || spec.boottimeOffset() != null) {
            ns.add(new RuntimeSpec.Namespace("time", null));
            timeOffsets.put("monotonic", offset(spec.monotonicOffset()));
            timeOffsets.put("boottime", offset(spec.boottimeOffset()));
        }
        return new RuntimeSpec.Linux(uidMap, gidMap, Map.of(), resources(spec), "jcontainers/" + id, ns, List.of(),
                null, "rprivate", spec.privileged() ? List.of() : MASKED_PATHS,
                spec.privileged() ? List.of() : READONLY_PATHS, timeOffsets);
    }

    private static RuntimeSpec.TimeOffset offset(java.time.Duration d) {
        java.time.Duration v = d == null ? java.time.Duration.ZERO : d;
        return new RuntimeSpec.TimeOffset(v.getSeconds(), v.getNano());
    }

    /**
     * Docker's rules: every capability the kernel has for a privileged container, otherwise the default set
     * changed by {@code --cap-add} and {@code --cap-drop}. {@code ALL} means what this kernel supports; a
     * capability named explicitly that the kernel lacks is an error rather than a failure at start.
     */
    static Set<Capability> capabilities(ContainerSpec spec) {
        Set<Capability> supported = Capabilities.supportedByKernel();
        if (spec.privileged()) {
            // all we have: the engine may itself run with a reduced bounding set, and capset(2) cannot exceed it
            Set<Capability> all = EnumSet.copyOf(supported);
            all.retainAll(ownBoundingSet());
            return all;
        }
        Set<Capability> resolved = Capabilities.resolve(Capabilities.DOCKER_DEFAULTS, spec.capAdd(), spec.capDrop());
        if (spec.capAdd().stream().anyMatch(c -> Capabilities.parse(c).equals(Capabilities.all()))) {
            resolved.retainAll(supported);
        }
        for (Capability c : resolved) {
            if (!supported.contains(c)) {
                throw new ContainerException("capability " + c.kernelName() + " is not supported by this kernel");
            }
        }
        return resolved;
    }

    private static Set<Capability> ownBoundingSet() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("CapBnd:")) {
                    return Capabilities.fromMask(Long.parseUnsignedLong(line.substring(7).strip(), 16));
                }
            }
            throw new ContainerException("no CapBnd in /proc/self/status");
        } catch (IOException e) {
            throw new ContainerException("cannot read /proc/self/status: " + e.getMessage(), e);
        }
    }

    private static List<RuntimeSpec.Rlimit> rlimits(ContainerSpec spec) {
        return spec.ulimits().stream().map(u -> new RuntimeSpec.Rlimit(u.rlimitType(), u.hard(), u.soft())).toList();
    }

    /**
     * The value of the seccomp annotation. A profile file is read, checked and copied into the container's
     * directory now, as Docker embeds it at create: a later change or removal of the file does not change
     * the container.
     */
    private static String seccomp(ContainerSpec spec, Set<Capability> capabilities, Path containerDir) {
        if (spec.privileged()) {
            return SeccompProfile.UNCONFINED;
        }
        String value = spec.seccompProfile() == null ? SeccompProfile.BUILTIN : spec.seccompProfile();
        if (value.equals(SeccompProfile.BUILTIN) || value.equals(SeccompProfile.UNCONFINED)) {
            return value;
        }
        Path source = Path.of(value).toAbsolutePath();
        byte[] json;
        try {
            json = Files.readAllBytes(source);
        } catch (IOException e) {
            throw new ContainerException("cannot read seccomp profile " + source + ": " + e, e);
        }
        SeccompProfile profile;
        try {
            profile = SeccompProfile.parse(new String(json, StandardCharsets.UTF_8));
        } catch (MalformedContentException e) {
            throw new MalformedContentException("seccomp profile " + source + ": " + e.getMessage(), e);
        }
        SeccompCompiler.compile(profile, SeccompArch.current(), capabilities);
        Path copy = containerDir.resolve(SECCOMP_FILE);
        try {
            Files.write(copy, json);
        } catch (IOException e) {
            throw new StorageException("cannot write " + copy + ": " + e.getMessage(), e);
        }
        return copy.toString();
    }

    static RuntimeSpec.Resources resources(ContainerSpec spec) {
        RuntimeSpec.Memory memory = null;
        if (spec.memory() != null || spec.memoryReservation() != null || spec.memorySwap() != null) {
            Long limit = spec.memory() == null ? null : spec.memory().bytes();
            Long swap = spec.memorySwap() == null ? null : spec.memorySwap().bytes();
            memory = new RuntimeSpec.Memory(limit,
                    spec.memoryReservation() == null ? null : spec.memoryReservation().bytes(), swap, null, null);
        }
        RuntimeSpec.Cpu cpu = null;
        if (spec.cpus() != null || spec.cpuShares() != null || spec.cpusetCpus() != null || spec.cpusetMems() != null) {
            Long quota = spec.cpus() == null ? null : Math.round(spec.cpus() * CPU_PERIOD);
            cpu = new RuntimeSpec.Cpu(spec.cpuShares(), quota, quota == null ? null : CPU_PERIOD, spec.cpusetCpus(),
                    spec.cpusetMems());
        }
        RuntimeSpec.Pids pids = spec.pidsLimit() == null ? null : new RuntimeSpec.Pids(spec.pidsLimit());
        return new RuntimeSpec.Resources(memory, cpu, pids, blockIo(spec), List.of());
    }

    /** Block I/O weight and per-device throttles; a device that is not a block device is a clear error. */
    private static RuntimeSpec.BlockIo blockIo(ContainerSpec spec) {
        if (spec.blkioWeight() == null && spec.blkioLimits().isEmpty()) {
            return null;
        }
        Map<dev.jcontainers.api.BlkioLimit.Kind, List<RuntimeSpec.ThrottleDevice>> byKind =
                new java.util.EnumMap<>(dev.jcontainers.api.BlkioLimit.Kind.class);
        for (dev.jcontainers.api.BlkioLimit l : spec.blkioLimits()) {
            dev.jcontainers.linux.cgroup.DeviceRate d;
            try {
                d = dev.jcontainers.linux.cgroup.DeviceRate.of(Path.of(l.device()), l.rate());
            } catch (RuntimeException e) {
                throw new dev.jcontainers.api.ContainerException("invalid block device " + l.device() + ": " + e.getMessage());
            }
            byKind.computeIfAbsent(l.kind(), k -> new ArrayList<>())
                    .add(new RuntimeSpec.ThrottleDevice(d.major(), d.minor(), d.rate()));
        }
        return new RuntimeSpec.BlockIo(spec.blkioWeight(),
                byKind.getOrDefault(dev.jcontainers.api.BlkioLimit.Kind.READ_BPS, List.of()),
                byKind.getOrDefault(dev.jcontainers.api.BlkioLimit.Kind.WRITE_BPS, List.of()),
                byKind.getOrDefault(dev.jcontainers.api.BlkioLimit.Kind.READ_IOPS, List.of()),
                byKind.getOrDefault(dev.jcontainers.api.BlkioLimit.Kind.WRITE_IOPS, List.of()));
    }
}
