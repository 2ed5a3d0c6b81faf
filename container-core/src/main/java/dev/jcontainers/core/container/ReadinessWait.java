package dev.jcontainers.core.container;

import dev.jcontainers.api.Container;
import dev.jcontainers.api.ContainerException;
import dev.jcontainers.api.ContainerInfo;
import dev.jcontainers.api.ContainerNotFoundException;
import dev.jcontainers.api.ContainerStateException;
import dev.jcontainers.api.ContainerStatus;
import dev.jcontainers.api.ContainerWaitException;
import dev.jcontainers.api.ContainerWaitTimeoutException;
import dev.jcontainers.api.HealthStatus;
import dev.jcontainers.api.LogLine;
import dev.jcontainers.api.Wait;
import dev.jcontainers.api.WaitStrategy;
import dev.jcontainers.linux.ffm.Errno;
import dev.jcontainers.linux.ffm.LinuxException;
import dev.jcontainers.linux.net.NetworkNamespace;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * {@link Container#waitUntil}: polls the container's state and the awaited condition until the condition
 * holds, the container exits or turns unhealthy (reported at once), or the timeout passes.
 */
final class ReadinessWait {
    private static final Duration POLL = Duration.ofMillis(20);
    private static final Duration CONNECT_TIMEOUT = Duration.ofMillis(250);
    static final int LOG_LINES_IN_ERRORS = 10;

    private final ContainerService service;
    private final Container container;

    private ReadinessWait(ContainerService service, Container container) {
        this.service = service;
        this.container = container;
    }

    static void await(ContainerService service, Container container, WaitStrategy strategy, Duration timeout) {
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("wait timeout must not be negative: " + timeout);
        }
        new ReadinessWait(service, container).run(strategy, timeout);
    }

    /** One awaited condition, checked against the container's state as just read. */
    private interface Check {
        boolean holds(ContainerInfo info);

        /** What is still awaited, with progress where there is any. */
        String pending();
    }

    private void run(WaitStrategy strategy, Duration timeout) {
        Check check = compile(strategy);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            ContainerInfo info;
            try {
                info = service.inspect(container.id());
            } catch (ContainerNotFoundException e) { // an auto-removed container exited and is gone
                if (strategy instanceof Wait.ForExit) {
                    return;
                }
                throw new ContainerWaitException("container " + container.name() + " was removed (it exited) while "
                        + "waiting for " + check.pending(), container.id(), ContainerStatus.EXITED, null, List.of());
            }
            if (info.status() == ContainerStatus.CREATED) {
                throw new ContainerStateException("container " + info.name() + " was never started");
            }
            if (check.holds(info)) {
                return;
            }
            if (info.status() != ContainerStatus.RUNNING) {
                throw failure(false, info, (info.exitCode() == null ? "stopped"
                        : "exited with code " + info.exitCode()) + " while waiting for " + check.pending());
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw failure(true, info, "was not ready within " + human(timeout) + ": still waiting for "
                        + check.pending() + " (" + info.status().dockerName() + ")");
            }
            try {
                Thread.sleep(Duration.ofNanos(Math.min(left, POLL.toNanos())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ContainerException("interrupted while waiting for " + info.name(), e);
            }
        }
    }

    private Check compile(WaitStrategy strategy) {
        return switch (strategy) {
            case Wait.ForLogLine l -> new LogLineCheck(l);
            case Wait.ForPort p -> new PortCheck(p);
            case Wait.ForHealthy h -> new HealthyCheck();
            case Wait.ForExit e -> new Check() {
                @Override
                public boolean holds(ContainerInfo info) {
                    return info.status() != ContainerStatus.RUNNING;
                }

                @Override
                public String pending() {
                    return e.description();
                }
            };
            case Wait.All all -> new AllCheck(all.strategies().stream().map(this::compile).toList());
            case Wait.Until u -> new Check() {
                @Override
                public boolean holds(ContainerInfo info) {
                    return u.condition().test(container);
                }

                @Override
                public String pending() {
                    return u.description();
                }
            };
        };
    }

    /** Reads only the log written since the previous check, counting matching lines. */
    private final class LogLineCheck implements Check {
        private final Wait.ForLogLine wanted;
        private final Pattern pattern;
        private final JsonFileLogs logs;
        private final List<LogLine> batch = new ArrayList<>();
        private long offset;
        private int seen;

        LogLineCheck(Wait.ForLogLine wanted) {
            this.wanted = wanted;
            this.pattern = wanted.pattern();
            this.logs = service.logs(container.id());
        }

        @Override
        public boolean holds(ContainerInfo info) {
            batch.clear();
            offset = logs.readSince(offset, batch);
            for (LogLine line : batch) {
                if ((wanted.stream() == null || wanted.stream() == line.stream())
                        && pattern.matcher(withoutNewline(line.text())).find()) {
                    seen++;
                }
            }
            return seen >= wanted.times();
        }

        @Override
        public String pending() {
            return wanted.description() + (wanted.times() > 1 ? " (seen " + seen + ")" : "");
        }
    }

    /**
     * Connects to the port on 127.0.0.1 from a thread inside the container's network namespace, so it works
     * for every network mode and without any tool in the image.
     */
    private static final class PortCheck implements Check {
        private final Wait.ForPort wanted;

        PortCheck(Wait.ForPort wanted) {
            this.wanted = wanted;
        }

        @Override
        public boolean holds(ContainerInfo info) {
            if (info.status() != ContainerStatus.RUNNING) {
                return false;
            }
            InetSocketAddress target = new InetSocketAddress(InetAddress.getLoopbackAddress(), wanted.port());
            try (NetworkNamespace netns = NetworkNamespace.open(Path.of("/proc", Long.toString(info.pid()), "ns", "net"))) {
                return netns.call(() -> {
                    try (Socket socket = new Socket()) {
                        socket.connect(target, Math.toIntExact(CONNECT_TIMEOUT.toMillis()));
                        return true;
                    } catch (IOException refused) {
                        return false;
                    }
                });
            } catch (LinuxException e) {
                if (e.errno() == Errno.ENOENT || e.errno() == Errno.ESRCH) {
                    return false; // the process went away under us: the state check that follows reports it
                }
                throw new ContainerException("cannot enter the network namespace of " + info.name() + " to check port "
                        + wanted.port() + ": " + e.getMessage(), e);
            } catch (Exception e) {
                throw new ContainerException("cannot check port " + wanted.port() + " of " + info.name()
                        + ": " + e.getMessage(), e);
            }
        }

        @Override
        public String pending() {
            return wanted.description();
        }
    }

    private final class HealthyCheck implements Check {
        @Override
        public boolean holds(ContainerInfo info) {
            HealthStatus h = info.health();
            if (h == null) {
                throw new ContainerStateException("container " + info.name() + " has no health check");
            }
            if (info.status() == ContainerStatus.RUNNING && h.status() == HealthStatus.State.UNHEALTHY) {
                throw failure(false, info, "is unhealthy" + (h.log().isEmpty() ? ""
                        : " (last probe exited with " + h.log().getLast().exitCode() + ": "
                        + h.log().getLast().output().strip() + ")"));
            }
            return info.status() == ContainerStatus.RUNNING && h.status() == HealthStatus.State.HEALTHY;
        }

        @Override
        public String pending() {
            return "healthy";
        }
    }

    /** The checks one after the other: each must hold once, in order. */
    private static final class AllCheck implements Check {
        private final List<Check> checks;
        private int next;

        AllCheck(List<Check> checks) {
            this.checks = checks;
        }

        @Override
        public boolean holds(ContainerInfo info) {
            while (next < checks.size() && checks.get(next).holds(info)) {
                next++;
            }
            return next == checks.size();
        }

        @Override
        public String pending() {
            return checks.get(Math.min(next, checks.size() - 1)).pending();
        }
    }

    private ContainerWaitException failure(boolean timedOut, ContainerInfo info, String what) {
        List<String> tail = lastLogLines();
        String message = "container " + info.name() + " (" + info.shortId() + ") " + what
                + (tail.isEmpty() ? "; it wrote no log lines" : "; last log lines:\n  " + String.join("\n  ", tail));
        return timedOut
                ? new ContainerWaitTimeoutException(message, info.id(), info.status(), info.exitCode(), tail)
                : new ContainerWaitException(message, info.id(), info.status(), info.exitCode(), tail);
    }

    private List<String> lastLogLines() {
        List<LogLine> lines = service.logs(container.id()).lines();
        return lines.subList(Math.max(0, lines.size() - LOG_LINES_IN_ERRORS), lines.size()).stream()
                .map(l -> withoutNewline(l.text())).toList();
    }

    private static String withoutNewline(String text) {
        return text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
    }

    private static String human(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
    }
}
