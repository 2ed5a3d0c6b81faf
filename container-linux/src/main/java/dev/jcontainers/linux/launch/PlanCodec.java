package dev.jcontainers.linux.launch;

import java.io.ByteArrayOutputStream;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.jcontainers.linux.launch.LaunchPlan.Capabilities;
import dev.jcontainers.linux.launch.LaunchPlan.IdMapping;
import dev.jcontainers.linux.launch.LaunchPlan.Identity;
import dev.jcontainers.linux.launch.LaunchPlan.Lifetime;
import dev.jcontainers.linux.launch.LaunchPlan.LogConfig;
import dev.jcontainers.linux.launch.LaunchPlan.Rlimit;
import dev.jcontainers.linux.launch.LaunchPlan.SeccompProgram;
import dev.jcontainers.linux.launch.LaunchPlan.Stdio;
import dev.jcontainers.linux.launch.LaunchPlan.StreamMode;
import dev.jcontainers.linux.launch.LaunchPlan.TimeOffsets;
import dev.jcontainers.linux.namespace.Namespace;
import dev.jcontainers.linux.namespace.NamespaceMode;

/**
 * The wire format of a {@link LaunchPlan}, read by {@code jc-launch.c}. Little-endian throughout:
 * <pre>
 * header   "JCLP" | u16 version=1 | u16 0 | u32 total length (header included)
 * section  u16 tag | u16 0 | u32 payload length | payload      (each tag at most once, any order)
 * string   u32 length including the NUL | UTF-8 bytes | NUL      (no NUL inside; "" means none)
 * </pre>
 * Sections (only EXEC is required):
 * <pre>
 *  1 NAMESPACES u64 clone flags | u32 n | n x (u32 nstype | string path)        joins
 *  2 IDMAPS     u32 n | n x (u32 inside, u32 outside, u32 count) | same for gids
 *  3 CGROUP     string v2 directory (CLONE_INTO_CGROUP)
 *  4 MOUNTS     u32 n | n x (u32 kind | u32 mode | u64 flags | u64 dev | string source, target, fstype, data)
 *  5 HOSTNAME   string hostname | string domainname
 *  6 RLIMITS    u32 n | n x (u32 resource | u64 soft | u64 hard)
 *  7 CAPS       u64 bounding | u64 effective | u64 permitted | u64 inheritable | u64 ambient
 *  8 FLAGS      u32 bits (bit 0: no_new_privs, bit 1: bring lo up)
 *  9 SECCOMP    u32 length | BPF instructions
 * 10 USER       u32 uid | u32 gid | u32 n | n x u32 group
 * 11 CWD        string
 * 12 EXEC       string executable | u32 argc | argc x string | u32 envc | envc x string
 * 13 STDIO      3 x u32 mode (0 null, 1 inherit, 2 log, 3 log and inherit)
 * 14 LOG        string path | u64 max size | u32 max files
 * 15 LIFETIME   u32 (0 sandbox, 1 detached)
 * 16 STATEDIR   string
 * 17 TIMENS     i64 monotonic s | u32 ns | i64 boottime s | u32 ns
 * 18 RESTART    u32 policy (1 on-failure, 2 always) | u32 max retries | u32 n | n x string v1 cgroup dir
 * 19 TTY        u32 rows | u32 cols                                   (stdio is a pseudo-terminal)
 * </pre>
 */
public final class PlanCodec {
    private PlanCodec() {
    }

    public static final byte[] MAGIC = {'J', 'C', 'L', 'P'};
    public static final int VERSION = 1;
    public static final int HEADER_SIZE = 12;

    static final int NAMESPACES = 1;
    static final int IDMAPS = 2;
    static final int CGROUP = 3;
    static final int MOUNTS = 4;
    static final int HOSTNAME = 5;
    static final int RLIMITS = 6;
    static final int CAPS = 7;
    static final int FLAGS = 8;
    static final int SECCOMP = 9;
    static final int USER = 10;
    static final int CWD = 11;
    static final int EXEC = 12;
    static final int STDIO = 13;
    static final int LOG = 14;
    static final int LIFETIME = 15;
    static final int STATEDIR = 16;
    static final int TIMENS = 17;
    static final int RESTART = 18;
    static final int TTY = 19;

    public static byte[] encode(LaunchPlan plan) {
        Out out = new Out();
        out.bytes(MAGIC).u16(VERSION).u16(0).u32(0);

        List<Map.Entry<Namespace, NamespaceMode>> joins = plan.namespaces().entrySet().stream()
                .filter(e -> e.getValue() instanceof NamespaceMode.Join).toList();
        if (!plan.namespaces().isEmpty()) {
            Out s = new Out().u64(plan.cloneFlags()).u32(joins.size());
            joins.forEach(e -> s.u32(e.getKey().cloneFlag()).str(((NamespaceMode.Join) e.getValue()).path().toString()));
            out.section(NAMESPACES, s);
        }
        if (!plan.uidMappings().isEmpty() || !plan.gidMappings().isEmpty()) {
            Out s = new Out();
            for (List<IdMapping> maps : List.of(plan.uidMappings(), plan.gidMappings())) {
                s.u32(maps.size());
                maps.forEach(m -> s.u32(m.containerId()).u32(m.hostId()).u32(m.count()));
            }
            out.section(IDMAPS, s);
        }
        plan.cgroup().ifPresent(c -> out.section(CGROUP, new Out().str(c.toString())));
        if (!plan.mounts().isEmpty()) {
            Out s = new Out().u32(plan.mounts().size());
            for (MountOp m : plan.mounts()) {
                s.u32(m.kind().code()).u32(m.mode()).u64(m.flags()).u64(m.device())
                        .str(m.source()).str(m.target()).str(m.fstype()).str(m.data());
            }
            out.section(MOUNTS, s);
        }
        if (plan.hostname().isPresent() || plan.domainname().isPresent()) {
            out.section(HOSTNAME, new Out().str(plan.hostname().orElse("")).str(plan.domainname().orElse("")));
        }
        if (!plan.rlimits().isEmpty()) {
            Out s = new Out().u32(plan.rlimits().size());
            plan.rlimits().forEach(r -> s.u32(r.resource()).u64(r.soft()).u64(r.hard()));
            out.section(RLIMITS, s);
        }
        plan.capabilities().ifPresent(c -> out.section(CAPS, new Out().u64(c.bounding()).u64(c.effective())
                .u64(c.permitted()).u64(c.inheritable()).u64(c.ambient())));
        if (plan.noNewPrivileges() || plan.loopbackUp()) {
            out.section(FLAGS, new Out().u32((plan.noNewPrivileges() ? 1 : 0) | (plan.loopbackUp() ? 2 : 0)));
        }
        plan.seccomp().ifPresent(p -> out.section(SECCOMP, new Out().u32(p.bytes().length).bytes(p.bytes())));
        plan.user().ifPresent(u -> {
            Out s = new Out().u32(u.uid()).u32(u.gid()).u32(u.groups().size());
            u.groups().forEach(s::u32);
            out.section(USER, s);
        });
        plan.cwd().ifPresent(c -> out.section(CWD, new Out().str(c)));
        Out exec = new Out().str(plan.executable()).u32(plan.argv().size());
        plan.argv().forEach(exec::str);
        exec.u32(plan.env().size());
        plan.env().forEach(exec::str);
        out.section(EXEC, exec);
        out.section(STDIO, new Out().u32(plan.stdio().stdin().ordinal()).u32(plan.stdio().stdout().ordinal())
                .u32(plan.stdio().stderr().ordinal()));
        plan.log().ifPresent(l -> out.section(LOG, new Out().str(l.path().toString()).u64(l.maxSize()).u32(l.maxFiles())));
        out.section(LIFETIME, new Out().u32(plan.lifetime().ordinal()));
        plan.stateDir().ifPresent(d -> out.section(STATEDIR, new Out().str(d.toString())));
        plan.timeOffsets().ifPresent(t -> out.section(TIMENS, new Out()
                .u64(t.monotonic().getSeconds()).u32(t.monotonic().getNano())
                .u64(t.boottime().getSeconds()).u32(t.boottime().getNano())));
        plan.restart().ifPresent(r -> {
            Out s = new Out().u32(r.policy().ordinal() + 1L).u32(r.maxRetries()).u32(r.cgroupDirs().size());
            r.cgroupDirs().forEach(d -> s.str(d.toString()));
            out.section(RESTART, s);
        });
        plan.terminal().ifPresent(t -> out.section(TTY, new Out().u32(t.rows()).u32(t.cols())));

        byte[] bytes = out.toByteArray();
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putInt(8, bytes.length);
        return bytes;
    }

    /** The inverse of {@link #encode}, for tests and diagnostics; throws IllegalArgumentException on bad input. */
    public static LaunchPlan decode(byte[] bytes) {
        try {
            return decodeUnchecked(ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN));
        } catch (BufferUnderflowException | IndexOutOfBoundsException e) {
            throw new IllegalArgumentException("truncated plan", e);
        }
    }

    private static LaunchPlan decodeUnchecked(ByteBuffer in) {
        byte[] magic = new byte[4];
        in.get(magic);
        if (!java.util.Arrays.equals(magic, MAGIC) || u16(in) != VERSION || u16(in) != 0
                || in.getInt() != in.capacity()) {
            throw new IllegalArgumentException("bad plan header");
        }
        LaunchPlan.Builder b = LaunchPlan.builder();
        List<String> argv = null;
        String executable = null;
        long seen = 0;
        while (in.hasRemaining()) {
            int tag = u16(in);
            if (u16(in) != 0 || tag < 1 || tag > TTY || (seen & (1L << tag)) != 0) {
                throw new IllegalArgumentException("bad section " + tag);
            }
            seen |= 1L << tag;
            int size = in.getInt();
            ByteBuffer s = in.slice(in.position(), size).order(ByteOrder.LITTLE_ENDIAN);
            in.position(in.position() + s.capacity());
            switch (tag) {
                case NAMESPACES -> {
                    long flags = s.getLong();
                    for (Namespace ns : Namespace.values()) {
                        if ((flags & ns.cloneFlag()) != 0) {
                            b.namespace(ns, NamespaceMode.PRIVATE);
                        }
                    }
                    for (int i = count(s); i > 0; i--) {
                        Namespace ns = Namespace.ofCloneFlag(u32(s));
                        b.namespace(ns, NamespaceMode.join(Path.of(str(s))));
                    }
                }
                case IDMAPS -> {
                    for (int i = count(s); i > 0; i--) {
                        b.uidMapping(u32(s), u32(s), u32(s));
                    }
                    for (int i = count(s); i > 0; i--) {
                        b.gidMapping(u32(s), u32(s), u32(s));
                    }
                }
                case CGROUP -> b.cgroup(Path.of(str(s)));
                case MOUNTS -> {
                    for (int i = count(s); i > 0; i--) {
                        MountOp.Kind kind = MountOp.Kind.of(s.getInt());
                        int mode = s.getInt();
                        long flags = s.getLong();
                        long dev = s.getLong();
                        // wire order source, target, fstype, data matches the argument order (evaluated left to right)
                        b.mount(new MountOp(kind, str(s), str(s), str(s), flags, str(s), mode, dev));
                    }
                }
                case HOSTNAME -> {
                    String host = str(s);
                    String domain = str(s);
                    if (!host.isEmpty()) {
                        b.hostname(host);
                    }
                    if (!domain.isEmpty()) {
                        b.domainname(domain);
                    }
                }
                case RLIMITS -> {
                    for (int i = count(s); i > 0; i--) {
                        b.rlimit(s.getInt(), s.getLong(), s.getLong());
                    }
                }
                case CAPS -> b.capabilities(new Capabilities(s.getLong(), s.getLong(), s.getLong(), s.getLong(),
                        s.getLong()));
                case FLAGS -> {
                    int flags = s.getInt();
                    b.noNewPrivileges((flags & 1) != 0).loopbackUp((flags & 2) != 0);
                }
                case SECCOMP -> {
                    byte[] bpf = new byte[count(s)];
                    s.get(bpf);
                    b.seccomp(bpf);
                }
                case USER -> {
                    long uid = u32(s);
                    long gid = u32(s);
                    List<Long> groups = new ArrayList<>();
                    for (int i = count(s); i > 0; i--) {
                        groups.add(u32(s));
                    }
                    b.user(uid, gid, groups);
                }
                case CWD -> b.cwd(str(s));
                case EXEC -> {
                    executable = str(s);
                    argv = strings(s);
                    b.env(strings(s));
                }
                case STDIO -> b.stdio(new Stdio(mode(s), mode(s), mode(s)));
                case LOG -> b.log(new LogConfig(Path.of(str(s)), s.getLong(), s.getInt()));
                case LIFETIME -> b.lifetime(Lifetime.values()[s.getInt()]);
                case STATEDIR -> b.stateDir(Path.of(str(s)));
                case TIMENS -> b.timeOffsets(Duration.ofSeconds(s.getLong(), s.getInt()),
                        Duration.ofSeconds(s.getLong(), s.getInt()));
                case RESTART -> {
                    int policy = s.getInt();
                    if (policy < 1 || policy > LaunchPlan.Restart.Policy.values().length) {
                        throw new IllegalArgumentException("bad restart policy " + policy);
                    }
                    int max = s.getInt();
                    b.restart(new LaunchPlan.Restart(LaunchPlan.Restart.Policy.values()[policy - 1], max,
                            strings(s).stream().map(Path::of).toList()));
                }
                case TTY -> b.terminal(new LaunchPlan.TerminalSize(s.getInt(), s.getInt()));
                default -> throw new IllegalArgumentException("unknown section " + tag);
            }
            if (s.hasRemaining()) {
                throw new IllegalArgumentException("trailing bytes in section " + tag);
            }
        }
        if (argv == null) {
            throw new IllegalArgumentException("plan has no exec section");
        }
        return b.command(argv).executable(executable).build();
    }

    private static int u16(ByteBuffer in) {
        return Short.toUnsignedInt(in.getShort());
    }

    private static long u32(ByteBuffer in) {
        return Integer.toUnsignedLong(in.getInt());
    }

    private static int count(ByteBuffer in) {
        long n = u32(in);
        if (n > in.remaining()) {
            throw new IllegalArgumentException("count " + n + " exceeds the section");
        }
        return (int) n;
    }

    private static StreamMode mode(ByteBuffer in) {
        return StreamMode.values()[in.getInt()];
    }

    private static String str(ByteBuffer in) {
        int n = count(in);
        if (n == 0 || in.get(in.position() + n - 1) != 0) {
            throw new IllegalArgumentException("string not NUL-terminated");
        }
        String s = new String(in.array(), in.arrayOffset() + in.position(), n - 1, StandardCharsets.UTF_8);
        in.position(in.position() + n);
        return s;
    }

    private static List<String> strings(ByteBuffer in) {
        List<String> list = new ArrayList<>();
        for (int i = count(in); i > 0; i--) {
            list.add(str(in));
        }
        return list;
    }

    /** A little-endian byte sink. */
    private static final class Out {
        private final ByteArrayOutputStream buf = new ByteArrayOutputStream();
        private final ByteBuffer scratch = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);

        Out bytes(byte[] b) {
            buf.writeBytes(b);
            return this;
        }

        Out u16(int v) {
            buf.write(v & 0xff);
            buf.write((v >>> 8) & 0xff);
            return this;
        }

        Out u32(long v) {
            buf.write(scratch.clear().putInt((int) v).array(), 0, 4);
            return this;
        }

        Out u64(long v) {
            buf.write(scratch.clear().putLong(v).array(), 0, 8);
            return this;
        }

        Out str(String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            u32(b.length + 1L);
            buf.writeBytes(b);
            buf.write(0);
            return this;
        }

        Out section(int tag, Out payload) {
            byte[] p = payload.toByteArray();
            u16(tag).u16(0).u32(p.length);
            buf.writeBytes(p);
            return this;
        }

        byte[] toByteArray() {
            return buf.toByteArray();
        }
    }
}
