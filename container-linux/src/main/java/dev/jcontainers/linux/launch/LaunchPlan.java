package dev.jcontainers.linux.launch;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import dev.jcontainers.linux.namespace.Namespace;
import dev.jcontainers.linux.namespace.NamespaceMode;

/**
 * Everything the launch helper does for one container, decided in Java and executed literally by the
 * helper (see {@link PlanCodec} for the wire format). Validation here mirrors the helper's, so a plan
 * that constructs is one the helper accepts.
 *
 * @param namespaces  per namespace type: {@link NamespaceMode#PRIVATE} or a path to join; absent means the
 *                    host's ({@link NamespaceMode#HOST} entries are dropped)
 * @param uidMappings written by the launcher to {@code /proc/<pid>/uid_map} during the sync (USER namespace)
 * @param cgroup      a cgroup v2 directory to start the container in ({@code CLONE_INTO_CGROUP})
 * @param mounts      the mount list, in order, run in the child before it changes credentials
 * @param loopbackUp  the child brings {@code lo} up itself (an ioctl, cheaper than rtnetlink from the JVM during
 *                    the sync); only with a private NET namespace
 * @param executable  a path, or a bare name searched in the {@code PATH} of {@code env} inside the container
 * @param stateDir    where the monitor writes {@code exit.json} (and {@code restart.json} with a restart policy)
 * @param restart     a restart policy the monitor carries out itself, with or without a JVM
 * @param terminal    a pseudo-terminal as stdio, with its initial size: see {@link TerminalSize}
 */
public record LaunchPlan(
        Map<Namespace, NamespaceMode> namespaces,
        List<IdMapping> uidMappings,
        List<IdMapping> gidMappings,
        Optional<Path> cgroup,
        List<MountOp> mounts,
        Optional<String> hostname,
        Optional<String> domainname,
        List<Rlimit> rlimits,
        Optional<Capabilities> capabilities,
        boolean noNewPrivileges,
        boolean loopbackUp,
        Optional<SeccompProgram> seccomp,
        Optional<Identity> user,
        Optional<String> cwd,
        String executable,
        List<String> argv,
        List<String> env,
        Stdio stdio,
        Optional<LogConfig> log,
        Lifetime lifetime,
        Optional<Path> stateDir,
        Optional<TimeOffsets> timeOffsets,
        Optional<Restart> restart,
        Optional<TerminalSize> terminal) {

    /** What happens to the container when the JVM that launched it goes away. */
    public enum Lifetime {
        /** The container is SIGKILLed when its launching JVM exits or dies, even by SIGKILL. */
        SANDBOX,
        /** The container outlives the JVM; a later JVM finds it by pid and state directory. */
        DETACHED
    }

    /** Where one standard stream of the container goes. */
    public enum StreamMode {
        /** {@code /dev/null}. */
        NULL,
        /** The file descriptor the launcher gave the helper (by default the JVM's own). */
        INHERIT,
        /** A pipe to the monitor, which writes json-file log lines. Not for stdin. */
        LOG,
        /** Logged, and also copied to the inherited descriptor. Not for stdin. */
        LOG_AND_INHERIT
    }

    public record Stdio(StreamMode stdin, StreamMode stdout, StreamMode stderr) {
        public static final Stdio NONE = new Stdio(StreamMode.NULL, StreamMode.NULL, StreamMode.NULL);
        public static final Stdio LOGGED = new Stdio(StreamMode.NULL, StreamMode.LOG, StreamMode.LOG);
        public static final Stdio INHERITED = new Stdio(StreamMode.INHERIT, StreamMode.INHERIT, StreamMode.INHERIT);

        public Stdio {
            Objects.requireNonNull(stdin, "stdin");
            Objects.requireNonNull(stdout, "stdout");
            Objects.requireNonNull(stderr, "stderr");
            if (stdin != StreamMode.NULL && stdin != StreamMode.INHERIT) {
                throw new IllegalArgumentException("stdin cannot be logged");
            }
        }

        boolean logged() {
            return isLogged(stdout) || isLogged(stderr);
        }

        static boolean isLogged(StreamMode mode) {
            return mode == StreamMode.LOG || mode == StreamMode.LOG_AND_INHERIT;
        }
    }

    /** A json-file log: rotated when it would exceed {@code maxSize} bytes (0: never), keeping {@code maxFiles}. */
    public record LogConfig(Path path, long maxSize, int maxFiles) {
        public LogConfig {
            checkAbsolute("log path", path.toString());
            if (maxSize < 0 || maxFiles < 1 || maxFiles > 1000) {
                throw new IllegalArgumentException("bad log rotation: max size " + maxSize + ", files " + maxFiles);
            }
        }

        public static LogConfig unbounded(Path path) {
            return new LogConfig(path, 0, 1);
        }
    }

    /** One line of a uid/gid map: {@code count} ids from {@code containerId} map to {@code hostId} onwards. */
    public record IdMapping(long containerId, long hostId, long count) {
        public IdMapping {
            if (!isU32(containerId) || !isU32(hostId) || count < 1 || !isU32(count)) {
                throw new IllegalArgumentException("bad id mapping " + containerId + " " + hostId + " " + count);
            }
        }

        String procLine() {
            return containerId + " " + hostId + " " + count + "\n";
        }
    }

    /** {@code setrlimit(resource, {soft, hard})}; values are unsigned, -1 is {@code RLIM_INFINITY}. */
    public record Rlimit(int resource, long soft, long hard) {
        public static final int RLIMIT_CORE = 4;
        public static final int RLIMIT_NOFILE = 7;
        public static final int RLIMIT_NPROC = 6;
        public static final long INFINITY = -1;

        public Rlimit {
            if (resource < 0 || resource >= 16 || Long.compareUnsigned(soft, hard) > 0) {
                throw new IllegalArgumentException("bad rlimit " + resource + " " + soft + " " + hard);
            }
        }
    }

    /** Capability sets as bit masks (bit n = capability n); {@code bounding} lists the caps kept. */
    public record Capabilities(long bounding, long effective, long permitted, long inheritable, long ambient) {
        public Capabilities {
            if ((effective & ~permitted) != 0 || (ambient & ~(permitted & inheritable)) != 0) {
                throw new IllegalArgumentException("effective and ambient capabilities must be permitted"
                        + " (ambient also inheritable)");
            }
        }
    }

    /** The credentials the process runs with: uid, gid and supplementary groups. */
    public record Identity(long uid, long gid, List<Long> groups) {
        public Identity {
            groups = List.copyOf(groups);
            if (!isU32(uid) || !isU32(gid) || uid == 0xffffffffL || gid == 0xffffffffL
                    || groups.stream().anyMatch(g -> !isU32(g)) || groups.size() > 65536) {
                throw new IllegalArgumentException("bad uid/gid/groups " + uid + ":" + gid + " " + groups);
            }
        }
    }

    /** A classic BPF seccomp program ({@code struct sock_filter[]}, 8 bytes an instruction, native order). */
    public record SeccompProgram(byte[] bytes) {
        public SeccompProgram {
            bytes = bytes.clone();
            if (bytes.length == 0 || bytes.length % 8 != 0 || bytes.length > 4096 * 8) {
                throw new IllegalArgumentException("seccomp program of " + bytes.length + " bytes");
            }
        }

        @Override
        public byte[] bytes() {
            return bytes.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof SeccompProgram other && Arrays.equals(bytes, other.bytes);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(bytes);
        }

        @Override
        public String toString() {
            return "SeccompProgram[" + bytes.length / 8 + " instructions]";
        }
    }

    /**
     * The monitor starts the process again when it exits: {@code ON_FAILURE} after a non-zero exit, at most
     * {@code maxRetries} times (0: no limit), {@code ALWAYS} after any exit; never after the JVM asked for a stop
     * ({@code <stateDir>/stop}) nor for a sandbox whose JVM went away. A restarted process joins the first one's
     * network namespace and cgroup: on v1 the monitor writes it into {@code cgroupDirs} itself (on v2 the plan's
     * {@link #cgroup()} serves). Not with a private USER namespace: its maps are the JVM's to write.
     */
    public record Restart(Policy policy, int maxRetries, List<Path> cgroupDirs) {
        public enum Policy { ON_FAILURE, ALWAYS }

        public Restart {
            Objects.requireNonNull(policy, "policy");
            cgroupDirs = List.copyOf(cgroupDirs);
            if (maxRetries < 0 || (maxRetries > 0 && policy != Policy.ON_FAILURE)) {
                throw new IllegalArgumentException("max retries " + maxRetries + " with policy " + policy);
            }
            if (cgroupDirs.size() > 16) {
                throw new IllegalArgumentException("more than 16 cgroup directories");
            }
            cgroupDirs.forEach(d -> checkAbsolute("cgroup directory", d.toString()));
        }
    }

    /**
     * A pseudo-terminal from the container's own devpts becomes its controlling terminal and stdin, stdout
     * and stderr. The monitor holds the master: it logs and copies what the terminal prints as stdout
     * (per {@link Stdio#stdout()}), relays the inherited stdin to it ({@link StreamMode#INHERIT}), and
     * resizes it on request. {@code rows} and {@code cols} 0 leave the kernel's default size.
     */
    public record TerminalSize(int rows, int cols) {
        public TerminalSize {
            if (rows < 0 || rows > 0xffff || cols < 0 || cols > 0xffff) {
                throw new IllegalArgumentException("bad terminal size " + rows + "x" + cols);
            }
        }
    }

    /** Offsets of the container's CLOCK_MONOTONIC and CLOCK_BOOTTIME in its TIME namespace. */
    public record TimeOffsets(Duration monotonic, Duration boottime) {
        public TimeOffsets {
            Objects.requireNonNull(monotonic, "monotonic");
            Objects.requireNonNull(boottime, "boottime");
        }
    }

    public LaunchPlan {
        EnumMap<Namespace, NamespaceMode> ns = new EnumMap<>(Namespace.class);
        namespaces.forEach((type, mode) -> {
            if (!(mode instanceof NamespaceMode.Host)) {
                ns.put(type, Objects.requireNonNull(mode, "namespace mode"));
            }
        });
        namespaces = java.util.Collections.unmodifiableMap(ns);
        uidMappings = List.copyOf(uidMappings);
        gidMappings = List.copyOf(gidMappings);
        mounts = List.copyOf(mounts);
        rlimits = List.copyOf(rlimits);
        argv = List.copyOf(argv);
        env = List.copyOf(env);
        Objects.requireNonNull(cgroup, "cgroup");
        Objects.requireNonNull(capabilities, "capabilities");
        Objects.requireNonNull(seccomp, "seccomp");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(stdio, "stdio");
        Objects.requireNonNull(log, "log");
        Objects.requireNonNull(lifetime, "lifetime");
        Objects.requireNonNull(timeOffsets, "timeOffsets");
        Objects.requireNonNull(restart, "restart");
        if (restart.isPresent() && namespaces.get(Namespace.USER) instanceof NamespaceMode.Private) {
            throw new IllegalArgumentException("restarts in a private USER namespace are not supported");
        }
        Objects.requireNonNull(terminal, "terminal");
        if (uidMappings.size() > 340 || gidMappings.size() > 340) {
            throw new IllegalArgumentException("the kernel takes at most 340 id mappings");
        }
        cgroup.ifPresent(p -> checkAbsolute("cgroup", p.toString()));
        stateDir.ifPresent(p -> checkAbsolute("state directory", p.toString()));
        hostname.ifPresent(h -> checkName("hostname", h));
        domainname.ifPresent(d -> checkName("domain name", d));
        cwd.ifPresent(c -> checkAbsolute("cwd", c));
        checkCString("executable", executable);
        if (executable.isEmpty() || argv.isEmpty()) {
            throw new IllegalArgumentException("a plan needs an executable and at least argv[0]");
        }
        argv.forEach(a -> checkCString("argument", a));
        for (String e : env) {
            checkCString("environment entry", e);
            if (e.indexOf('=') < 0) {
                throw new IllegalArgumentException("environment entry without '=': " + e);
            }
        }
        if (rlimits.stream().map(Rlimit::resource).distinct().count() != rlimits.size()) {
            throw new IllegalArgumentException("rlimit given twice");
        }
        if (rlimits.size() > 16) {
            throw new IllegalArgumentException("too many rlimits");
        }
        if (stdio.logged() && log.isEmpty()) {
            throw new IllegalArgumentException("stdio is logged but there is no log configuration");
        }
        if (timeOffsets.isPresent() && !(namespaces.get(Namespace.TIME) instanceof NamespaceMode.Private)) {
            throw new IllegalArgumentException("time offsets need a private TIME namespace");
        }
        // a plan must never change the host's mount table or host name
        if (!mounts.isEmpty() && !namespaces.containsKey(Namespace.MNT)) {
            throw new IllegalArgumentException("mounts need a MNT namespace of the container's own");
        }
        if ((hostname.isPresent() || domainname.isPresent()) && !namespaces.containsKey(Namespace.UTS)) {
            throw new IllegalArgumentException("a hostname needs a UTS namespace of the container's own");
        }
        if (loopbackUp && !(namespaces.get(Namespace.NET) instanceof NamespaceMode.Private)) {
            throw new IllegalArgumentException("bringing lo up needs a private NET namespace");
        }
    }

    /**
     * This plan for a caller attached to the process: other stdio, and the caller's terminal size for a
     * plan with a terminal.
     */
    public LaunchPlan attached(Stdio newStdio, TerminalSize size) {
        return new LaunchPlan(namespaces, uidMappings, gidMappings, cgroup, mounts, hostname, domainname, rlimits,
                capabilities, noNewPrivileges, loopbackUp, seccomp, user, cwd, executable, argv, env, newStdio, log,
                lifetime, stateDir, timeOffsets, restart, terminal.map(t -> size == null ? t : size));
    }

    /** This plan with {@code lo} brought up by the child itself; the plan must have a private NET namespace. */
    public LaunchPlan withLoopbackUp() {
        return new LaunchPlan(namespaces, uidMappings, gidMappings, cgroup, mounts, hostname, domainname, rlimits,
                capabilities, noNewPrivileges, true, seccomp, user, cwd, executable, argv, env, stdio, log,
                lifetime, stateDir, timeOffsets, restart, terminal);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Sum of the clone flags of the private namespaces. */
    public long cloneFlags() {
        long flags = 0;
        for (var e : namespaces.entrySet()) {
            if (e.getValue() instanceof NamespaceMode.Private) {
                flags |= e.getKey().cloneFlag();
            }
        }
        return flags;
    }

    public boolean hasPrivate(Namespace ns) {
        return namespaces.get(ns) instanceof NamespaceMode.Private;
    }

    static boolean isU32(long v) {
        return v >= 0 && v <= 0xffffffffL;
    }

    static void checkCString(String what, String s) {
        if (s.indexOf('\0') >= 0) {
            throw new IllegalArgumentException(what + " contains a NUL character");
        }
    }

    static void checkAbsolute(String what, String path) {
        checkCString(what, path);
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException(what + " must be an absolute path: " + path);
        }
    }

    private static void checkName(String what, String name) {
        checkCString(what, name);
        int len = name.getBytes(StandardCharsets.UTF_8).length;
        if (len == 0 || len > 64) {
            throw new IllegalArgumentException(what + " must be 1 to 64 bytes: " + name);
        }
    }

    public static final class Builder {
        private final Map<Namespace, NamespaceMode> namespaces = new EnumMap<>(Namespace.class);
        private final List<IdMapping> uidMappings = new ArrayList<>();
        private final List<IdMapping> gidMappings = new ArrayList<>();
        private Path cgroup;
        private final List<MountOp> mounts = new ArrayList<>();
        private String hostname;
        private String domainname;
        private final List<Rlimit> rlimits = new ArrayList<>();
        private Capabilities capabilities;
        private boolean noNewPrivileges;
        private boolean loopbackUp;
        private SeccompProgram seccomp;
        private Identity user;
        private String cwd;
        private String executable;
        private List<String> argv = List.of();
        private List<String> env = List.of();
        private Stdio stdio = Stdio.NONE;
        private LogConfig log;
        private Lifetime lifetime = Lifetime.SANDBOX;
        private Path stateDir;
        private TimeOffsets timeOffsets;
        private Restart restart;
        private TerminalSize terminal;

        private Builder() {
        }

        public Builder namespace(Namespace ns, NamespaceMode mode) {
            namespaces.put(ns, mode);
            return this;
        }

        /** Private namespaces of the given types. */
        public Builder privateNamespaces(Namespace... types) {
            for (Namespace ns : types) {
                namespaces.put(ns, NamespaceMode.PRIVATE);
            }
            return this;
        }

        public Builder uidMapping(long containerId, long hostId, long count) {
            uidMappings.add(new IdMapping(containerId, hostId, count));
            return this;
        }

        public Builder gidMapping(long containerId, long hostId, long count) {
            gidMappings.add(new IdMapping(containerId, hostId, count));
            return this;
        }

        public Builder cgroup(Path v2Directory) {
            this.cgroup = v2Directory;
            return this;
        }

        public Builder mount(MountOp op) {
            mounts.add(op);
            return this;
        }

        public Builder mounts(List<MountOp> ops) {
            mounts.addAll(ops);
            return this;
        }

        public Builder hostname(String hostname) {
            this.hostname = hostname;
            return this;
        }

        public Builder domainname(String domainname) {
            this.domainname = domainname;
            return this;
        }

        public Builder rlimit(int resource, long soft, long hard) {
            rlimits.add(new Rlimit(resource, soft, hard));
            return this;
        }

        public Builder capabilities(Capabilities capabilities) {
            this.capabilities = capabilities;
            return this;
        }

        public Builder noNewPrivileges(boolean noNewPrivileges) {
            this.noNewPrivileges = noNewPrivileges;
            return this;
        }

        public Builder loopbackUp(boolean loopbackUp) {
            this.loopbackUp = loopbackUp;
            return this;
        }

        public Builder seccomp(byte[] bpf) {
            this.seccomp = new SeccompProgram(bpf);
            return this;
        }

        public Builder user(long uid, long gid, List<Long> groups) {
            this.user = new Identity(uid, gid, groups);
            return this;
        }

        public Builder cwd(String cwd) {
            this.cwd = cwd;
            return this;
        }

        /** argv, with {@code argv[0]} also the executable to run. */
        public Builder command(List<String> argv) {
            this.argv = List.copyOf(argv);
            this.executable = argv.isEmpty() ? null : argv.getFirst();
            return this;
        }

        public Builder command(String... argv) {
            return command(List.of(argv));
        }

        /** An executable other than {@code argv[0]}. */
        public Builder executable(String executable) {
            this.executable = executable;
            return this;
        }

        public Builder env(List<String> env) {
            this.env = List.copyOf(env);
            return this;
        }

        public Builder stdio(Stdio stdio) {
            this.stdio = stdio;
            return this;
        }

        public Builder log(LogConfig log) {
            this.log = log;
            return this;
        }

        public Builder lifetime(Lifetime lifetime) {
            this.lifetime = lifetime;
            return this;
        }

        public Builder stateDir(Path stateDir) {
            this.stateDir = stateDir;
            return this;
        }

        public Builder timeOffsets(Duration monotonic, Duration boottime) {
            this.timeOffsets = new TimeOffsets(monotonic, boottime);
            return this;
        }

        public Builder restart(Restart restart) {
            this.restart = restart;
            return this;
        }

        public Builder terminal(TerminalSize size) {
            this.terminal = size;
            return this;
        }

        public LaunchPlan build() {
            return new LaunchPlan(namespaces, uidMappings, gidMappings, Optional.ofNullable(cgroup), mounts,
                    Optional.ofNullable(hostname), Optional.ofNullable(domainname), rlimits,
                    Optional.ofNullable(capabilities), noNewPrivileges, loopbackUp, Optional.ofNullable(seccomp),
                    Optional.ofNullable(user), Optional.ofNullable(cwd), Objects.requireNonNull(executable, "command"),
                    argv, env, stdio, Optional.ofNullable(log), lifetime, Optional.ofNullable(stateDir),
                    Optional.ofNullable(timeOffsets), Optional.ofNullable(restart),
                    Optional.ofNullable(terminal));
        }
    }
}
