package dev.jcontainers.linux.launch;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Builders;
import net.jqwik.api.Combinators;

import dev.jcontainers.linux.launch.LaunchPlan.Capabilities;
import dev.jcontainers.linux.launch.LaunchPlan.Lifetime;
import dev.jcontainers.linux.launch.LaunchPlan.LogConfig;
import dev.jcontainers.linux.launch.LaunchPlan.Stdio;
import dev.jcontainers.linux.launch.LaunchPlan.StreamMode;
import dev.jcontainers.linux.namespace.Namespace;
import dev.jcontainers.linux.namespace.NamespaceMode;

/** Random valid launch plans: every section, every mount kind, odd strings. */
final class PlanArbitraries {
    private PlanArbitraries() {
    }

    static Arbitrary<String> text() {
        return Arbitraries.strings().withCharRange(' ', '~').withChars("äé€中\t\n").ofMaxLength(24);
    }

    static Arbitrary<String> nonEmpty() {
        return text().filter(s -> !s.isEmpty());
    }

    static Arbitrary<String> path() {
        return Arbitraries.strings().withCharRange('a', 'z').withChars("._-ü").ofMinLength(1).ofMaxLength(8)
                .list().ofMaxSize(4).map(parts -> "/" + String.join("/", parts));
    }

    static Arbitrary<String> hostname() {
        return nonEmpty().filter(s -> s.getBytes(java.nio.charset.StandardCharsets.UTF_8).length <= 64);
    }

    static Arbitrary<Long> u32() {
        return Arbitraries.longs().between(0, 0xfffffffeL);
    }

    static Arbitrary<MountOp> mountOp() {
        Arbitrary<MountOp> mount = Combinators.combine(text(), path(), text(), Arbitraries.longs(), text())
                .as(MountOp::mount);
        Arbitrary<MountOp> mkdir = Combinators.combine(path(), Arbitraries.integers().between(0, 07777)).as(MountOp::mkdir);
        Arbitrary<MountOp> mknod = Combinators.combine(path(),
                        Arbitraries.of(MountOp.S_IFCHR, MountOp.S_IFBLK, MountOp.S_IFIFO),
                        Arbitraries.integers().between(0, 07777), Arbitraries.longs())
                .as((p, type, mode, dev) -> MountOp.mknod(p, type | mode, dev));
        Arbitrary<MountOp> symlink = Combinators.combine(nonEmpty(), path()).as(MountOp::symlink);
        Arbitrary<MountOp> file = Combinators.combine(path(), Arbitraries.integers().between(0, 07777)).as(MountOp::createFile);
        Arbitrary<MountOp> pivot = path().map(MountOp::pivotRoot);
        return Arbitraries.oneOf(mount, mkdir, mknod, symlink, file, pivot);
    }

    static Arbitrary<LaunchPlan> plans() {
        Arbitrary<Capabilities> caps = Combinators.combine(Arbitraries.longs(), Arbitraries.longs(), Arbitraries.longs(),
                Arbitraries.longs()).as((bounding, perm, inh, x) -> new Capabilities(bounding, perm & x, perm, inh,
                perm & inh & ~x));
        Arbitrary<StreamMode> outMode = Arbitraries.of(StreamMode.class);
        Arbitrary<Stdio> stdio = Combinators.combine(Arbitraries.of(StreamMode.NULL, StreamMode.INHERIT), outMode, outMode)
                .as(Stdio::new);
        return Builders.withBuilder(LaunchPlan::builder)
                .use(Arbitraries.subsetOf(Namespace.values())).in((b, set) -> {
                    set.forEach(ns -> b.namespace(ns, NamespaceMode.PRIVATE));
                    return b;
                })
                .use(Combinators.combine(Arbitraries.of(Namespace.PID, Namespace.NET, Namespace.USER, Namespace.TIME),
                        path()).as((ns, p) -> new Object[] {ns, p}).list().ofMaxSize(3)).in((b, joins) -> {
                    joins.forEach(j -> b.namespace((Namespace) j[0], NamespaceMode.join(Path.of((String) j[1]))));
                    return b;
                })
                .use(Combinators.combine(u32(), u32(), Arbitraries.longs().between(1, 65536)).as(List::of)
                        .list().ofMaxSize(3)).in((b, maps) -> {
                    maps.forEach(m -> b.uidMapping(m.get(0), m.get(1), m.get(2)));
                    maps.forEach(m -> b.gidMapping(m.get(1), m.get(0), m.get(2)));
                    return b;
                })
                .use(path()).withProbability(0.3).in((b, p) -> b.cgroup(Path.of(p)))
                .use(mountOp().list().ofMinSize(1).ofMaxSize(12)).withProbability(0.7)
                .in((b, ops) -> b.namespace(Namespace.MNT, NamespaceMode.PRIVATE).mounts(ops))
                .use(hostname()).withProbability(0.5)
                .in((b, h) -> b.namespace(Namespace.UTS, NamespaceMode.PRIVATE).hostname(h))
                .use(hostname()).withProbability(0.2)
                .in((b, d) -> b.namespace(Namespace.UTS, NamespaceMode.PRIVATE).domainname(d))
                .use(Arbitraries.integers().between(0, 15).set().ofMaxSize(4)).in((b, res) -> {
                    res.forEach(r -> b.rlimit(r, r * 100L, r == 3 ? -1 : r * 200L));
                    return b;
                })
                .use(caps).withProbability(0.5).in(LaunchPlan.Builder::capabilities)
                .use(Arbitraries.of(true, false)).in(LaunchPlan.Builder::noNewPrivileges)
                .use(Arbitraries.of(true, false)).withProbability(0.3)
                .in((b, up) -> b.namespace(Namespace.NET, NamespaceMode.PRIVATE).loopbackUp(up))
                .use(Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(6).map(b -> {
                    byte[] bpf = new byte[b.length * 8];
                    for (int i = 0; i < bpf.length; i++) {
                        bpf[i] = (byte) (b[i / 8] * (i + 1));
                    }
                    return bpf;
                })).withProbability(0.3).in(LaunchPlan.Builder::seccomp)
                .use(Combinators.combine(u32(), u32(), u32().list().ofMaxSize(5)).as(List::of)).withProbability(0.5)
                .in((b, u) -> {
                    @SuppressWarnings("unchecked")
                    List<Long> groups = (List<Long>) u.get(2);
                    return b.user((Long) u.get(0), (Long) u.get(1), groups);
                })
                .use(path()).withProbability(0.5).in(LaunchPlan.Builder::cwd)
                .use(Combinators.combine(nonEmpty(), text().list().ofMaxSize(4)).as((first, rest) -> {
                    List<String> argv = new java.util.ArrayList<>(List.of(first));
                    argv.addAll(rest);
                    return argv;
                })).in(LaunchPlan.Builder::command)
                .use(nonEmpty()).withProbability(0.2).in(LaunchPlan.Builder::executable)
                .use(Combinators.combine(nonEmpty().map(s -> s.replace("=", "")).filter(s -> !s.isEmpty()), text())
                        .as((k, v) -> k + "=" + v).list().ofMaxSize(6)).in(LaunchPlan.Builder::env)
                .use(stdio).in(LaunchPlan.Builder::stdio)
                .use(Combinators.combine(path(), Arbitraries.longs().between(0, 1L << 40), Arbitraries.integers().between(1, 1000))
                        .as((p, size, files) -> new LogConfig(Path.of(p), size, files))).in(LaunchPlan.Builder::log)
                .use(Arbitraries.of(Lifetime.class)).in(LaunchPlan.Builder::lifetime)
                .use(path()).withProbability(0.7).in((b, p) -> b.stateDir(Path.of(p)))
                .use(Combinators.combine(Arbitraries.longs().between(-1_000_000, 1_000_000),
                        Arbitraries.longs().between(0, 999_999_999)).as(Duration::ofSeconds)).withProbability(0.2)
                .in((b, d) -> b.namespace(Namespace.TIME, NamespaceMode.PRIVATE).timeOffsets(d, d.negated()))
                .use(Combinators.combine(Arbitraries.of(LaunchPlan.Restart.Policy.class), Arbitraries.integers().between(0, 10),
                        path().map(Path::of).list().ofMaxSize(3))
                        .as((p, max, dirs) -> new LaunchPlan.Restart(p, p == LaunchPlan.Restart.Policy.ON_FAILURE ? max : 0, dirs)))
                .withProbability(0.3)
                .in((b, r) -> b.namespace(Namespace.USER, NamespaceMode.HOST).restart(r)) // not in a new user namespace
                .use(Combinators.combine(Arbitraries.integers().between(0, 0xffff), Arbitraries.integers().between(0, 0xffff))
                        .as(LaunchPlan.TerminalSize::new)).withProbability(0.2).in(LaunchPlan.Builder::terminal)
                .build(LaunchPlan.Builder::build);
    }
}
