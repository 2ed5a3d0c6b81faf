package dev.jcontainers.cli;

import dev.jcontainers.api.Container;
import dev.jcontainers.api.ContainerInfo;
import dev.jcontainers.api.ContainerStats;
import dev.jcontainers.api.Engine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** {@code docker stats --no-stream}: one sample of each running container's cgroup. */
@Command(name = "stats", description = "Display a sample of containers' resource usage.")
class StatsCommand extends EngineCommand {
    @Parameters(arity = "0..*", paramLabel = "CONTAINER")
    List<String> containers = new ArrayList<>();

    @Option(names = "--no-stream", description = "Print one sample and exit (the only mode so far).")
    boolean noStream;

    @Override
    Integer run(Engine engine) throws Exception {
        List<String> names = new ArrayList<>(containers);
        if (names.isEmpty()) {
            engine.containers().list(false).stream().map(ContainerInfo::id).forEach(names::add);
        }
        List<Container> sampled = new ArrayList<>();
        List<ContainerStats> firsts = new ArrayList<>();
        for (String n : names) {
            Container c = engine.containers().get(n);
            sampled.add(c);
            firsts.add(c.stats());
        }
        // One 200 ms window for all containers, not one after another: the CPU rate needs two samples.
        long t0 = System.nanoTime();
        Thread.sleep(200);
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[]{"CONTAINER ID", "NAME", "CPU %", "MEM USAGE / LIMIT", "MEM %", "PIDS"});
        for (int i = 0; i < sampled.size(); i++) {
            Container c = sampled.get(i);
            ContainerStats s = c.stats();
            double cpu = 100.0 * (s.cpuUsageNanos() - firsts.get(i).cpuUsageNanos()) / (System.nanoTime() - t0);
            String limit = s.memoryLimit() < 0 ? "unlimited" : Format.size(s.memoryLimit());
            String memPct = s.memoryLimit() <= 0 ? "--"
                    : String.format(Locale.ROOT, "%.2f%%", 100.0 * s.memoryUsage() / s.memoryLimit());
            rows.add(new String[]{c.id().substring(0, 12), c.name(), String.format(Locale.ROOT, "%.2f%%", cpu),
                    Format.size(s.memoryUsage()) + " / " + limit, memPct, Long.toString(s.pidsCurrent())});
        }
        out().print(Format.table(rows));
        out().flush();
        return 0;
    }
}
