package dev.jcontainers.cli;

import dev.jcontainers.api.Container;
import dev.jcontainers.api.ContainerLogs;
import dev.jcontainers.api.Engine;
import dev.jcontainers.api.LogLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

@Command(name = "logs", description = "Fetch the logs of a container (stdout to stdout, stderr to stderr).")
class LogsCommand extends EngineCommand {
    @Parameters(index = "0", paramLabel = "CONTAINER")
    String container;

    @Option(names = {"-f", "--follow"}, description = "Follow log output until the container exits.")
    boolean follow;

    @Option(names = {"-n", "--tail"}, defaultValue = "all", paramLabel = "N|all",
            description = "Number of lines to show from the end of the logs (default: ${DEFAULT-VALUE}).")
    String tail;

    @Option(names = {"-t", "--timestamps"}, description = "Show timestamps.")
    boolean timestamps;

    @Override
    Integer run(Engine engine) {
        Container c = engine.containers().get(container);
        List<LogLine> sofar = c.logs().lines();
        long skip = Math.max(0, sofar.size() - tailLines(sofar.size()));
        if (!follow) {
            sofar.stream().skip(skip).forEach(this::print);
            return 0;
        }
        AtomicLong seen = new AtomicLong();
        try (ContainerLogs.Following f = c.logs().follow(l -> {
            if (seen.getAndIncrement() >= skip) {
                print(l);
            }
        })) {
            f.await();
        }
        return 0;
    }

    private long tailLines(int total) {
        if (tail.equals("all")) {
            return total;
        }
        try {
            long n = Long.parseLong(tail);
            return n < 0 ? total : n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("invalid --tail value: " + tail);
        }
    }

    private void print(LogLine l) {
        PrintWriter to = l.stream() == LogLine.Stream.STDERR ? err() : out();
        synchronized (to) {
            if (timestamps && l.time() != null) {
                to.print(l.time() + " ");
            }
            to.print(l.text());
            to.flush();
        }
    }
}
