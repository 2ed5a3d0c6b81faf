package dev.jcontainers.core.container;

import dev.jcontainers.api.ContainerException;
import dev.jcontainers.linux.capability.Capabilities;
import dev.jcontainers.linux.capability.Capability;
import dev.jcontainers.linux.seccomp.DefaultSeccompPrograms;
import dev.jcontainers.linux.seccomp.SeccompArch;
import dev.jcontainers.linux.seccomp.SeccompCompiler;
import dev.jcontainers.linux.seccomp.SeccompProfile;
import dev.jcontainers.linux.launch.ContainerMounts;
import dev.jcontainers.linux.launch.InRoot;
import dev.jcontainers.linux.launch.LaunchPlan;
import dev.jcontainers.linux.launch.MountOp;
import dev.jcontainers.linux.namespace.Namespace;
import dev.jcontainers.linux.namespace.NamespaceMode;
import dev.jcontainers.oci.runtime.RuntimeSpec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Translates a container's runtime spec into the launch helper's plan: namespaces, the mount list,
 * identity, capabilities, the process, logging and lifetime. The plan is what the helper executes
 * literally; every decision is made here.
 */
public final class LaunchPlanFactory {
    /** Runtime-spec namespace names to kernel types. */
    static final Map<String, Namespace> NAMESPACES = Map.of("pid", Namespace.PID, "network", Namespace.NET,
            "mount", Namespace.MNT, "ipc", Namespace.IPC, "uts", Namespace.UTS, "user", Namespace.USER,
            "cgroup", Namespace.CGROUP, "time", Namespace.TIME);

    private LaunchPlanFactory() {
    }

    /**
     * @param rootfs    the mounted root filesystem on the host
     * @param stateDir  {@code containers/<id>}: logs and the exit record go there
     * @param cgroupV2  the container's cgroup directory when the host has cgroup v2 (CLONE_INTO_CGROUP)
     */
    public static LaunchPlan create(RuntimeSpec spec, Path rootfs, Path stateDir, boolean detached,
                                    Optional<Path> cgroupV2) {
        return create(spec, rootfs, stateDir, detached, cgroupV2, Optional.empty());
    }

    /** @param restart the restart policy the monitor carries out */
    public static LaunchPlan create(RuntimeSpec spec, Path rootfs, Path stateDir, boolean detached,
                                    Optional<Path> cgroupV2, Optional<LaunchPlan.Restart> restart) {
        LaunchPlan.Builder plan = LaunchPlan.builder();
        boolean userNs = false;
        boolean privateNet = false;
        boolean privateIpc = false;
        for (RuntimeSpec.Namespace ns : spec.linux().namespaces()) {
            Namespace type = NAMESPACES.get(ns.type());
            if (type == null) {
                throw new ContainerException("unknown namespace type " + ns.type());
            }
            plan.namespace(type, ns.path() == null ? NamespaceMode.PRIVATE : NamespaceMode.join(Path.of(ns.path())));
            userNs |= type == Namespace.USER;
            privateNet |= type == Namespace.NET;
            privateIpc |= type == Namespace.IPC;
        }
        for (RuntimeSpec.IdMapping m : spec.linux().uidMappings()) {
            plan.uidMapping(m.containerId(), m.hostId(), m.size());
        }
        for (RuntimeSpec.IdMapping m : spec.linux().gidMappings()) {
            plan.gidMapping(m.containerId(), m.hostId(), m.size());
        }
        cgroupV2.ifPresent(plan::cgroup);

        List<ContainerMounts.Bind> binds = new ArrayList<>();
        List<MountOp> extra = new ArrayList<>();
        for (RuntimeSpec.Mount m : spec.mounts()) {
            switch (m.type()) {
                case "bind" -> binds.add(new ContainerMounts.Bind(Path.of(m.source()), m.destination(),
                        m.options().contains("ro"), Files.isDirectory(Path.of(m.source())), propagation(m.options())));
                case "tmpfs" -> {
                    if (!isStandard(m.destination())) {
                        String target = InRoot.resolve(rootfs, m.destination()).toString();
                        extra.add(MountOp.mkdir(target, 0755));
                        extra.add(MountOp.mount("tmpfs", target, "tmpfs",
                                MountOp.MS_NOSUID | MountOp.MS_NODEV, tmpfsData(m.options())));
                    }
                }
                default -> {
                    // proc, sysfs, devpts, mqueue, shm: part of the standard list
                }
            }
        }
        boolean readOnlySys = spec.mounts().stream().filter(m -> m.destination().equals("/sys"))
                .allMatch(m -> m.options().contains("ro"));
        ContainerMounts.Confinement confinement = new ContainerMounts.Confinement(spec.linux().maskedPaths(),
                spec.linux().readonlyPaths(), readOnlySys);
        List<MountOp> mounts = new ArrayList<>(ContainerMounts.standard(rootfs, userNs, privateNet, privateIpc, binds,
                confinement));
        MountOp pivot = mounts.removeLast();
        mounts.addAll(extra);
        if (spec.root().readonly()) {
            mounts.add(MountOp.remount(rootfs.toAbsolutePath().toString(),
                    MountOp.MS_BIND | MountOp.MS_RDONLY | MountOp.MS_NOSUID | MountOp.MS_NODEV));
        }
        mounts.add(pivot);
        plan.mounts(mounts);

        if (spec.hostname() != null && spec.linux().namespaces().stream().anyMatch(n -> n.type().equals("uts"))) {
            plan.hostname(spec.hostname());
        }
        RuntimeSpec.Process p = spec.process();
        plan.capabilities(capabilities(p.capabilities()));
        plan.noNewPrivileges(p.noNewPrivileges());
        seccomp(spec).ifPresent(plan::seccomp);
        for (RuntimeSpec.Rlimit r : p.rlimits()) {
            plan.rlimit(rlimitNumber(r.type()), r.soft(), r.hard());
        }
        plan.user(p.user().uid(), p.user().gid(), p.user().additionalGids() == null ? List.of() : p.user().additionalGids());
        plan.cwd(p.cwd());
        plan.env(p.env());
        plan.executable(resolveExecutable(rootfs, p.args().getFirst(), p.env()));
        plan.command(p.args());
        // Detached from any caller, a terminal's output is logged as stdout, as Docker's json-file log has it.
        plan.stdio(LaunchPlan.Stdio.LOGGED);
        if (p.terminal()) {
            plan.terminal(new LaunchPlan.TerminalSize(0, 0));
        }
        plan.log(LaunchPlan.LogConfig.unbounded(stateDir.resolve("container.log")));
        plan.lifetime(detached ? LaunchPlan.Lifetime.DETACHED : LaunchPlan.Lifetime.SANDBOX);
        plan.stateDir(stateDir);
        restart.ifPresent(plan::restart);
        RuntimeSpec.TimeOffset mono = spec.linux().timeOffsets().get("monotonic");
        RuntimeSpec.TimeOffset boot = spec.linux().timeOffsets().get("boottime");
        if (mono != null || boot != null) {
            plan.timeOffsets(duration(mono), duration(boot));
        }
        return plan.build();
    }

    /** Present ({@code true}) when the container's stdin stays open for an attached caller ({@code -i}). */
    public static final String STDIN_OPEN_ANNOTATION = "dev.jcontainers.stdin-open";

    /**
     * The streams of a container started attached: output logged and copied to the caller, stdin relayed
     * when the container keeps it open.
     */
    static LaunchPlan.Stdio attachedStdio(RuntimeSpec spec) {
        boolean stdinOpen = "true".equals(spec.annotations().get(STDIN_OPEN_ANNOTATION));
        return new LaunchPlan.Stdio(stdinOpen ? LaunchPlan.StreamMode.INHERIT : LaunchPlan.StreamMode.NULL,
                LaunchPlan.StreamMode.LOG_AND_INHERIT, LaunchPlan.StreamMode.LOG_AND_INHERIT);
    }

    /** The annotation naming the seccomp profile: {@code builtin} (Docker's default), {@code unconfined}, or a file. */
    public static final String SECCOMP_ANNOTATION = "dev.jcontainers.seccomp";

    /** The BPF program for the container's seccomp profile, compiled for its bounding capabilities. */
    static Optional<byte[]> seccomp(RuntimeSpec spec) {
        Set<Capability> bounding = capabilities(spec.process().capabilities().bounding());
        String value = spec.annotations().getOrDefault(SECCOMP_ANNOTATION, SeccompProfile.BUILTIN);
        if (value.equals(SeccompProfile.BUILTIN)) {
            return Optional.of(DefaultSeccompPrograms.forBounding(bounding));
        }
        // A profile file may change between starts: read and compiled each time (rare, unlike the default).
        return SeccompProfile.forSecurityOpt(value).map(profile ->
                SeccompCompiler.compile(profile, SeccompArch.current(), bounding).toBytes());
    }

    private static Set<Capability> capabilities(List<String> names) {
        Set<Capability> out = java.util.EnumSet.noneOf(Capability.class);
        for (String n : names) {
            out.add(Capability.of(n));
        }
        return out;
    }

    static LaunchPlan.Capabilities capabilities(RuntimeSpec.Capabilities c) {
        return new LaunchPlan.Capabilities(Capabilities.mask(capabilities(c.bounding())),
                Capabilities.mask(capabilities(c.effective())), Capabilities.mask(capabilities(c.permitted())),
                Capabilities.mask(capabilities(c.inheritable())), Capabilities.mask(capabilities(c.ambient())));
    }

    private static java.time.Duration duration(RuntimeSpec.TimeOffset o) {
        return o == null ? java.time.Duration.ZERO : java.time.Duration.ofSeconds(o.secs(), o.nanosecs());
    }

    /** The runtime spec's propagation option as mount flags; none given is Docker's default, rprivate. */
    static long propagation(List<String> options) {
        for (String o : options) {
            long type = switch (o.startsWith("r") ? o.substring(1) : o) {
                case "private" -> MountOp.MS_PRIVATE;
                case "shared" -> MountOp.MS_SHARED;
                case "slave" -> MountOp.MS_SLAVE;
                default -> 0;
            };
            if (type != 0) {
                return o.startsWith("r") ? type | MountOp.MS_REC : type;
            }
        }
        return MountOp.MS_REC | MountOp.MS_PRIVATE;
    }

    private static boolean isStandard(String destination) {
        return destination.equals("/dev") || destination.equals("/dev/shm");
    }

    private static String tmpfsData(List<String> options) {
        List<String> data = new ArrayList<>();
        for (String o : options) {
            if (o.startsWith("size=") || o.startsWith("mode=")) {
                data.add(o);
            }
        }
        return String.join(",", data);
    }

    /**
     * Docker looks the command up in the container's PATH, inside the container's root: so do we, never
     * following a symlink out of it.
     */
    static String resolveExecutable(Path rootfs, String command, List<String> env) {
        if (command.contains("/")) {
            return command;
        }
        String path = env.stream().filter(e -> e.startsWith("PATH=")).map(e -> e.substring(5)).findFirst()
                .orElse(EnvMerger.DEFAULT_PATH);
        for (String dir : path.split(":")) {
            if (dir.isEmpty() || !dir.startsWith("/")) {
                continue;
            }
            String candidate = dir.endsWith("/") ? dir + command : dir + "/" + command;
            Path onHost = InRoot.resolve(rootfs, candidate);
            if (Files.isRegularFile(onHost) && Files.isExecutable(onHost)) {
                return candidate;
            }
        }
        throw new ContainerException("exec: \"" + command + "\": executable file not found in $PATH");
    }

    static int rlimitNumber(String type) {
        return switch (type) {
            case "RLIMIT_CPU" -> 0;
            case "RLIMIT_FSIZE" -> 1;
            case "RLIMIT_DATA" -> 2;
            case "RLIMIT_STACK" -> 3;
            case "RLIMIT_CORE" -> 4;
            case "RLIMIT_RSS" -> 5;
            case "RLIMIT_NPROC" -> 6;
            case "RLIMIT_NOFILE" -> 7;
            case "RLIMIT_MEMLOCK" -> 8;
            case "RLIMIT_AS" -> 9;
            case "RLIMIT_LOCKS" -> 10;
            case "RLIMIT_SIGPENDING" -> 11;
            case "RLIMIT_MSGQUEUE" -> 12;
            case "RLIMIT_NICE" -> 13;
            case "RLIMIT_RTPRIO" -> 14;
            case "RLIMIT_RTTIME" -> 15;
            default -> throw new ContainerException("unknown rlimit " + type);
        };
    }
}
