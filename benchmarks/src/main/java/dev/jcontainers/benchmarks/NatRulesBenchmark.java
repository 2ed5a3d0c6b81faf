package dev.jcontainers.benchmarks;

import dev.jcontainers.linux.net.nft.NatTable;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * What publishing a port costs in the kernel's rules: one {@code -p} mapping added and deleted again, through
 * libnftables in-process ({@link NatTable#publish}/{@link NatTable#unpublish}), against the same two
 * commands through the {@code nft} tool, which is what an engine that shells out pays (a process each).
 * Also the one-off table creation. Run by {@code benchmarks/nat-rules.sh} in a network namespace of its own;
 * it refuses to run when the table already exists (that would be the host's).
 *
 * <p>Arguments: {@code [runs]} (default 200).
 */
public final class NatRulesBenchmark {
    private static final Inet4Address CONTAINER = (Inet4Address) InetAddress.ofLiteral("10.213.9.2");

    private NatRulesBenchmark() {
    }

    public static void main(String[] args) {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        if (NatTable.exists()) {
            throw new IllegalStateException("table ip " + NatTable.NAME + " exists here: run in a fresh network "
                    + "namespace (benchmarks/nat-rules.sh does)");
        }
        long t0 = System.nanoTime();
        NatTable.ensure();
        double ensureMs = (System.nanoTime() - t0) / 1e6;

        List<Double> library = new ArrayList<>();
        List<Double> libraryAdd = new ArrayList<>();
        List<Double> tool = new ArrayList<>();
        List<Double> toolAdd = new ArrayList<>();
        for (int i = 0; i < runs + 10; i++) {
            int port = 20000 + i;
            NatTable.PortMapping m = new NatTable.PortMapping(null, "tcp", port, CONTAINER, 80);
            long a = System.nanoTime();
            NatTable.publish(List.of(m));
            long added = System.nanoTime();
            NatTable.unpublish(List.of(m));
            long b = System.nanoTime();
            BenchSupport.exec(List.of("nft", "add element ip " + NatTable.NAME + " ports { tcp . " + port
                    + " : 10.213.9.2 . 80 }"));
            long toolAdded = System.nanoTime();
            BenchSupport.exec(List.of("nft", "delete element ip " + NatTable.NAME + " ports { tcp . " + port + " }"));
            long c = System.nanoTime();
            if (i >= 10) { // the first ten warm up both paths
                library.add((b - a) / 1e6);
                libraryAdd.add((added - a) / 1e6);
                tool.add((c - b) / 1e6);
                toolAdd.add((toolAdded - b) / 1e6);
            }
        }
        double lib = BenchSupport.median(library);
        double cli = BenchSupport.median(tool);
        System.out.printf("table creation (once, libnftables): %.2f ms%n", ensureMs);
        System.out.printf("publish + unpublish one port, libnftables in-process: median %.3f ms (p90 %.3f) over %d%n",
                lib, p90(library), runs);
        System.out.printf("the same two commands via the nft tool:               median %.3f ms (p90 %.3f) over %d%n",
                cli, p90(tool), runs);
        System.out.printf("  of which the addition: libnftables %.3f ms, nft tool %.3f ms (medians)%n",
                BenchSupport.median(libraryAdd), BenchSupport.median(toolAdd));
        System.out.printf("nft tool / libnftables: %.1fx%n", cli / lib);
    }

    private static double p90(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        return sorted.get((int) Math.ceil(sorted.size() * 0.9) - 1);
    }
}
