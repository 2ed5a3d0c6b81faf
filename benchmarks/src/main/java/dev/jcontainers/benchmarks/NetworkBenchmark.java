package dev.jcontainers.benchmarks;

import dev.jcontainers.api.Container;
import dev.jcontainers.api.EngineOptions;
import dev.jcontainers.api.NetworkInfo;
import dev.jcontainers.api.NetworkMode;
import dev.jcontainers.api.NetworkSpec;
import dev.jcontainers.core.LocalEngine;
import dev.jcontainers.linux.net.NetlinkSession;
import dev.jcontainers.testkit.FixtureImage;
import dev.jcontainers.testkit.RegistryServer;
import dev.jcontainers.testkit.Skopeo;
import dev.jcontainers.testkit.TestImages;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Container networking, side by side in one run, rounds alternating the contenders' order:
 * <ol>
 *   <li>TCP throughput: {@code nc ADDRESS PORT -e dd if=/dev/zero bs=1M count=N} into {@code nc -l -p PORT -e
 *       dd of=/dev/null bs=1M}, the same busybox-static binary on both sides; container to container over a bridge
 *       network (veth, bridge, veth), with the default MTU 1500 and with MTU 65535
 *       ({@code com.docker.network.driver.mtu}), against two host processes over loopback (MTU 65536), and
 *       as a witness of the kernel's share, two plain network namespaces on a bridge made with iproute2. Timed by the client around its
 *       pipeline with /proc/uptime (until nc has sent everything and closed; 10 ms resolution).</li>
 *   <li>Network setup added to a container's life: {@code /bin/true} created, started, waited for and removed
 *       in a user-defined network (address, veth pair, bridge port, DNS socket, hosts files, then unwiring and
 *       release) against network none (loopback up only); medians of start alone and of the whole life.</li>
 * </ol>
 * Options: {@code --runs N} (throughput rounds, 7; 0: the setup time only), {@code --mib N} (per transfer, 1024), {@code --starts N}
 * (per mode, 60), {@code --warmup N} (10), {@code --out FILE}. Traffic stays on loopback and on a bridge in
 * 10.213.0.0/16 made for the run, removed at the end.
 */
public final class NetworkBenchmark {
    private static final Pattern TIME = Pattern.compile("uptime ([0-9.]+) ([0-9.]+)");
    /** A port of its own per run, so that another program's listener on loopback is not hit. */
    private static final int PORT = ThreadLocalRandom.current().nextInt(20_000, 30_000);

    /**
     * The receiver: nc accepts one connection and runs dd on it, so the copying is dd's 1 MiB reads (busybox
     * nc's own loop copies 1 KiB at a time and measures its system calls, not the network).
     */
    private static final String SERVER = "busybox nc -l -p " + PORT + " -e busybox dd of=/dev/null bs=1M";

    private final LocalEngine engine;
    private final String image;
    private final int mib;

    private NetworkBenchmark(LocalEngine engine, String image, int mib) {
        this.engine = engine;
        this.image = image;
        this.mib = mib;
    }

    public static void main(String[] args) throws Exception {
        int runs = intOption(args, "--runs", 7);
        int mib = intOption(args, "--mib", 1024);
        int starts = intOption(args, "--starts", 60);
        int warmup = intOption(args, "--warmup", 10);
        String out = stringOption(args, "--out");
        Path fixtures = Files.createTempDirectory("jc-net-bench-fixture-");
        Path root = Files.createTempDirectory("jc-net-bench-");
        List<String> bridges = new ArrayList<>();
        try (RegistryServer registry = RegistryServer.plain()) {
            FixtureImage fixture = new TestImages(fixtures).singleLayer("busybox");
            Skopeo.push(fixture, registry, "bench/net:1");
            String image = registry.host() + "/bench/net:1";
            try (LocalEngine engine = new LocalEngine(EngineOptions.builder().root(root).dockerConfig(null)
                    .dnsServers(List.of()).build())) {
                engine.images().pull(image);
                int third = ThreadLocalRandom.current().nextInt(0, 248);
                NetworkInfo net = engine.networks().create(new NetworkSpec("bench-" + ProcessHandle.current().pid(),
                        NetworkSpec.BRIDGE, "10.213." + third + ".0/24", null, true, Map.of()));
                bridges.add(net.bridge());
                NetworkInfo jumbo = engine.networks().create(new NetworkSpec("bench-mtu-" + ProcessHandle.current().pid(),
                        NetworkSpec.BRIDGE, "10.213." + (third + 1) + ".0/24", null, true,
                        Map.of("com.docker.network.driver.mtu", "65535")));
                bridges.add(jumbo.bridge());
                NetworkBenchmark bench = new NetworkBenchmark(engine, image, mib);
                StringBuilder report = new StringBuilder();
                report.append(String.format(Locale.ROOT, "load before: %s%n", loadAverage()));
                if (runs > 0) {
                    try (PlainNamespaces plain = new PlainNamespaces(third + 2)) {
                        report.append(bench.throughput(NetworkMode.bridge(net.name()), NetworkMode.bridge(jumbo.name()), plain, runs));
                    }
                }
                report.append(bench.setup(NetworkMode.bridge(net.name()), starts, warmup));
                report.append(String.format(Locale.ROOT, "load after: %s%n", loadAverage()));
                System.out.print(report);
                if (out != null) {
                    Files.writeString(Path.of(out), report);
                }
                engine.networks().remove(net.name());
                engine.networks().remove(jumbo.name());
            }
        } finally {
            try (NetlinkSession host = NetlinkSession.open()) {
                for (String bridge : bridges) {
                    if (host.findLink(bridge).isPresent()) {
                        host.deleteLink(bridge);
                    }
                }
            }
            BenchSupport.deleteTreeQuietly(fixtures);
            BenchSupport.deleteTreeQuietly(root);
        }
    }

    // ---- throughput ---------------------------------------------------------------------------------

    /** Rounds rotate the contenders' order, so that load from other work hits them alike. */
    private String throughput(NetworkMode network, NetworkMode jumbo, PlainNamespaces plain, int runs) throws Exception {
        List<String> names = List.of("container -> container, bridge MTU 1500 ", "container -> container, bridge MTU 65535",
                "netns -> netns (iproute2), bridge MTU 1500", "host process -> host process over lo    ");
        List<Callable<Double>> contenders = List.of(() -> bridgedTransfer(network), () -> bridgedTransfer(jumbo),
                () -> processTransfer(plain.in(1), plain.in(0), plain.serverAddress), this::loopbackTransfer);
        List<List<Double>> results = new ArrayList<>();
        for (Callable<Double> c : contenders) {
            c.call(); // warm-up: page cache, JIT, ARP
            results.add(new ArrayList<>());
        }
        for (int round = 0; round < runs; round++) {
            for (int k = 0; k < contenders.size(); k++) {
                int which = (round + k) % contenders.size();
                results.get(which).add(contenders.get(which).call());
            }
        }
        double loopback = BenchSupport.median(results.getLast());
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT,
                "%n## TCP throughput, %d MiB per transfer, %d rounds, median MB/s%n", mib, runs));
        for (int k = 0; k < contenders.size(); k++) {
            double m = BenchSupport.median(results.get(k));
            out.append(String.format(Locale.ROOT, "%s %5.0f MB/s  %.2fx loopback  %s%n", names.get(k), m, m / loopback,
                    format(results.get(k))));
        }
        return out.toString();
    }

    /** MB/s from the client container to the server container, by the client's dd. */
    private double bridgedTransfer(NetworkMode network) {
        try (Container server = engine.containers().builder().image(image).network(network)
                .command("sh", "-c", SERVER).start()) {
            String address = engine.networks().addressOf(server.id()).orElseThrow();
            try (Container client = engine.containers().builder().image(image).network(network)
                    .command("sh", "-c", clientScript(address)).start()) {
                int exit = client.waitFor(Duration.ofMinutes(5));
                if (exit != 0) {
                    throw new IllegalStateException("client failed: " + client.logs().stderr());
                }
                return parseTime(client.logs().stdout());
            }
        }
    }

    /** The same two busybox commands as host processes over loopback. */
    private double loopbackTransfer() throws Exception {
        return processTransfer(List.of(), List.of(), "127.0.0.1");
    }

    /**
     * The two busybox commands as processes started with a prefix each ({@code ip netns exec NS} or none), the
     * client sending to {@code address}.
     */
    private double processTransfer(List<String> serverPrefix, List<String> clientPrefix, String address) throws Exception {
        Process server = new ProcessBuilder(concat(serverPrefix, "/usr/bin/busybox", "sh", "-c", SERVER))
                .redirectErrorStream(true).start();
        try {
            Process client = new ProcessBuilder(concat(clientPrefix, "/usr/bin/busybox", "sh", "-c", clientScript(address)))
                    .redirectErrorStream(true).start();
            String out = new String(client.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!client.waitFor(5, TimeUnit.MINUTES) || client.exitValue() != 0) {
                throw new IllegalStateException("client failed: " + out);
            }
            return parseTime(out);
        } finally {
            server.descendants().forEach(ProcessHandle::destroyForcibly);
            server.destroyForcibly();
        }
    }

    private static List<String> concat(List<String> prefix, String... command) {
        List<String> all = new ArrayList<>(prefix);
        all.addAll(List.of(command));
        return all;
    }

    /**
     * The kernel path of a bridge network without the engine, an independent witness: two network namespaces
     * on a bridge, made with iproute2 ({@code ip netns add}, veth pairs, MTU 1500), in the run's own /24.
     */
    private static final class PlainNamespaces implements AutoCloseable {
        final long pid = ProcessHandle.current().pid() % 100_000;
        final String bridge = "jcnb" + pid;
        final List<String> namespaces = List.of("jcnb-a-" + pid, "jcnb-b-" + pid);
        final String serverAddress;

        PlainNamespaces(int third) {
            serverAddress = "10.213." + third + ".3";
            BenchSupport.exec(List.of("ip", "link", "add", bridge, "type", "bridge"));
            BenchSupport.exec(List.of("ip", "link", "set", bridge, "up"));
            for (int i = 0; i < 2; i++) {
                String ns = namespaces.get(i);
                String veth = "jcnbv" + i + pid;
                BenchSupport.exec(List.of("ip", "netns", "add", ns));
                BenchSupport.exec(List.of("ip", "link", "add", veth, "type", "veth", "peer", "name", "eth0", "netns", ns));
                BenchSupport.exec(List.of("ip", "link", "set", veth, "master", bridge, "up"));
                BenchSupport.exec(List.of("ip", "-n", ns, "link", "set", "lo", "up"));
                BenchSupport.exec(List.of("ip", "-n", ns, "addr", "add", "10.213." + third + "." + (i + 2) + "/24", "dev", "eth0"));
                BenchSupport.exec(List.of("ip", "-n", ns, "link", "set", "eth0", "up"));
            }
        }

        List<String> in(int i) {
            return List.of("ip", "netns", "exec", namespaces.get(i));
        }

        @Override
        public void close() {
            for (String ns : namespaces) {
                runQuietly(List.of("ip", "netns", "del", ns)); // the veth pairs go with them
            }
            runQuietly(List.of("ip", "link", "del", bridge));
        }

        private static void runQuietly(List<String> command) {
            try {
                BenchSupport.exec(command);
            } catch (RuntimeException e) {
                System.err.println("cleanup: " + e.getMessage());
            }
        }
    }

    /**
     * Retries until the server listens. Each attempt prints /proc/uptime (10 ms resolution) before and after
     * the pipeline, on stdout; the last pair is the transfer that went through. (busybox-static's dd prints
     * no timing and its {@code time} applet printed 0.00 s here.)
     */
    private String clientScript(String address) {
        return "i=0; while [ $i -lt 200 ]; do read a x < /proc/uptime; busybox nc " + address + " " + PORT
                + " -e busybox dd if=/dev/zero bs=1M count=" + mib + " && { read b x < /proc/uptime; "
                + "echo uptime $a $b; exit 0; }; i=$((i+1)); sleep 0.02; done; exit 1";
    }

    private double parseTime(String stdout) {
        Matcher m = TIME.matcher(stdout);
        if (!m.find()) {
            throw new IllegalStateException("no time figure in: " + stdout);
        }
        double seconds = Double.parseDouble(m.group(2)) - Double.parseDouble(m.group(1));
        return mib * 1048576.0 / Math.max(seconds, 0.01) / 1e6;
    }

    // ---- setup time ---------------------------------------------------------------------------------

    private String setup(NetworkMode network, int starts, int warmup) {
        List<Double> noneStart = new ArrayList<>();
        List<Double> noneLife = new ArrayList<>();
        List<Double> netStart = new ArrayList<>();
        List<Double> netLife = new ArrayList<>();
        List<Double> addedStart = new ArrayList<>();
        for (int i = 0; i < warmup + starts; i++) {
            boolean keep = i >= warmup;
            NetworkMode first = i % 2 == 0 ? NetworkMode.none() : network;
            NetworkMode second = i % 2 == 0 ? network : NetworkMode.none();
            double[] pair = new double[2];
            for (NetworkMode mode : List.of(first, second)) {
                double[] t = lifeOfTrue(mode);
                pair[mode == network ? 1 : 0] = t[0];
                if (keep) {
                    (mode == network ? netStart : noneStart).add(t[0]);
                    (mode == network ? netLife : noneLife).add(t[1]);
                }
            }
            if (keep) {
                addedStart.add(pair[1] - pair[0]);
            }
        }
        double ns = BenchSupport.median(noneStart);
        double bs = BenchSupport.median(netStart);
        double nl = BenchSupport.median(noneLife);
        double bl = BenchSupport.median(netLife);
        return String.format(Locale.ROOT, "%n## Network setup: /bin/true, %d runs per mode (+%d warm-up), ms%n"
                        + "                 start() median   p99   create+start+wait+remove median%n"
                        + "network none     %7.2f   %7.2f   %7.2f%n"
                        + "user network     %7.2f   %7.2f   %7.2f%n"
                        + "added            %7.2f             %7.2f%n"
                        + "added, paired: median of (user network - none) in each round %.2f, p99 %.2f%n",
                starts, warmup, ns, BenchSupport.percentile(noneStart, 0.99), nl, bs, BenchSupport.percentile(netStart, 0.99),
                bl, bs - ns, bl - nl, BenchSupport.median(addedStart), BenchSupport.percentile(addedStart, 0.99));
    }

    /** Milliseconds of {@code start()} and of the whole life (create, start, waitFor, remove). */
    private double[] lifeOfTrue(NetworkMode mode) {
        long t0 = System.nanoTime();
        Container c = engine.containers().builder().image(image).network(mode).command("/bin/true").create();
        long t1 = System.nanoTime();
        c.start();
        long t2 = System.nanoTime();
        c.waitFor(Duration.ofSeconds(30));
        c.remove(true);
        long t3 = System.nanoTime();
        return new double[] {(t2 - t1) / 1e6, (t3 - t0) / 1e6};
    }

    // ---- helpers ------------------------------------------------------------------------------------

    private static String format(List<Double> values) {
        return values.stream().map(v -> String.format(Locale.ROOT, "%.0f", v)).toList().toString();
    }

    private static String loadAverage() throws IOException {
        return Files.readString(Path.of("/proc/loadavg")).strip();
    }

    private static int intOption(String[] args, String name, int fallback) {
        String v = stringOption(args, name);
        return v == null ? fallback : Integer.parseInt(v);
    }

    private static String stringOption(String[] args, String name) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return null;
    }
}
