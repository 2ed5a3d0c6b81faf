package dev.jcontainers.core.container;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dev.jcontainers.api.ContainerStateException;
import dev.jcontainers.api.ExecOptions;
import dev.jcontainers.api.ExecResult;
import dev.jcontainers.api.HealthCheck;
import dev.jcontainers.api.HealthStatus;
import dev.jcontainers.api.StorageException;
import dev.jcontainers.api.WaitTimeoutException;
import dev.jcontainers.linux.launch.RestartRecord;
import dev.jcontainers.oci.image.ImageConfig;
import dev.jcontainers.oci.image.OciJson;
import dev.jcontainers.oci.store.AtomicFiles;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Runs the health checks of running containers, with Docker's rules: the first probe one interval after the
 * start, the next one interval after the previous ended; a success makes the container healthy and resets
 * the failing streak; a failure counts unless it started within the start period while the container is
 * still starting, and {@code retries} counted failures in a row make it unhealthy.
 *
 * <p>The resolved check is kept in {@code healthcheck.json} (Docker's image format, nanoseconds) in the
 * container directory, the current status with the last probes in {@code health.json}, which other engines
 * read. We have no daemon: every engine on a root tracks the running containers it started or found, but
 * only the one holding a container's {@link HealthLease} probes it; the others try to take the lease at each
 * of their own probe times and, once they hold it, go on from the saved status. So a detached container keeps
 * being probed after the engine that started it closes, as long as some engine on its root is open; with no
 * engine open nothing probes it and its status stays at its last value. Tracking stops when the container
 * exits or is started again (another run), or the engine closes.
 */
final class HealthMonitor implements AutoCloseable {
    static final String CONFIG_FILE = "healthcheck.json";
    static final String STATUS_FILE = "health.json";
    private static final int MAX_OUTPUT_BYTES = 4096;

    /** {@code docker exec} as the container service does it. */
    interface Exec {
        ExecResult run(String id, ExecOptions options, List<String> command);
    }

    /** Whether the container still runs the run that began at {@code startedAt}. */
    interface Runs {
        boolean isRunning(String id, Instant startedAt);
    }

    private final Exec exec;
    private final Runs runs;
    private final Function<String, Path> containerDirs;
    /** Timing only: one thread that hands due probes to {@link #probes}. */
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("health-timer").factory());
    /** Platform threads: a probe blocks in a native wait for its exec, which would pin a virtual thread's carrier. */
    private final ExecutorService probes = Executors.newCachedThreadPool(
            Thread.ofPlatform().daemon().name("health-probe-", 0).factory());
    private final Map<String, Tracked> tracked = new ConcurrentHashMap<>();

    HealthMonitor(Exec exec, Runs runs, Function<String, Path> containerDirs) {
        this.exec = exec;
        this.runs = runs;
        this.containerDirs = containerDirs;
    }

    /** The check the container runs: the caller's fields over the image's over Docker's defaults; none if disabled. */
    static Optional<ImageConfig.HealthConfig> resolve(HealthCheck given, ImageConfig.HealthConfig image) {
        List<String> test = given != null && given.test() != null ? given.test() : image == null ? null : image.test();
        if (test == null || test.isEmpty() || test.getFirst().equals("NONE")) {
            return Optional.empty();
        }
        Duration interval = pick(given == null ? null : given.interval(), image == null ? null : image.interval(),
                HealthCheck.DEFAULT_INTERVAL);
        Duration timeout = pick(given == null ? null : given.timeout(), image == null ? null : image.timeout(),
                HealthCheck.DEFAULT_TIMEOUT);
        Duration startPeriod = pick(given == null ? null : given.startPeriod(),
                image == null ? null : image.startPeriod(), Duration.ZERO);
        int retries = given != null && given.retries() != null ? given.retries()
                : image != null && image.retries() != null && image.retries() > 0 ? image.retries()
                : HealthCheck.DEFAULT_RETRIES;
        // validates an image's malformed test as the caller's would be
        new HealthCheck(test, null, null, null, null);
        return Optional.of(new ImageConfig.HealthConfig(test, interval.toNanos(), timeout.toNanos(),
                startPeriod.toNanos(), null, retries));
    }

    private static Duration pick(Duration given, Long imageNanos, Duration fallback) {
        if (given != null) {
            return given;
        }
        return imageNanos != null && imageNanos > 0 ? Duration.ofNanos(imageNanos) : fallback;
    }

    /** Stores the resolved check at create time; no file means no health check. */
    static void saveConfig(Path containerDir, ImageConfig.HealthConfig config) {
        AtomicFiles.write(containerDir.resolve(CONFIG_FILE), OciJson.write(config), containerDir, ".health-");
        HealthLease.prepare(containerDir);
    }

    /** Starts probing a container that just started, if it has a health check; its status is starting again. */
    void begin(String id, Instant startedAt) {
        stop(id);
        Path dir = containerDirs.apply(id);
        Optional<ImageConfig.HealthConfig> config = readJson(dir.resolve(CONFIG_FILE), ImageConfig.HealthConfig.class);
        if (config.isEmpty()) {
            return;
        }
        HealthLease.prepare(dir);
        Tracked t = new Tracked(id, dir, config.get(), startedAt, false);
        tracked.put(id, t);
        synchronized (t) {
            t.save();
        }
        schedule(t);
    }

    /**
     * Tracks a running container another engine started, unless tracked already: it is probed from the next
     * interval on if no other engine holds its lease, going on from its saved status.
     */
    void adopt(String id, Instant startedAt) {
        Tracked known = tracked.get(id);
        if (known != null && known.startedAt.equals(startedAt)) {
            return;
        }
        Path dir = containerDirs.apply(id);
        Optional<ImageConfig.HealthConfig> config = readJson(dir.resolve(CONFIG_FILE), ImageConfig.HealthConfig.class);
        if (config.isEmpty()) {
            return;
        }
        Tracked t = new Tracked(id, dir, config.get(), startedAt, true);
        if (tracked.putIfAbsent(id, t) == null) {
            schedule(t);
        }
    }

    /** No more probes for this container; one still running is not recorded. */
    void stop(String id) {
        Tracked t = tracked.remove(id);
        if (t != null) {
            synchronized (t) {
                t.stopped = true;
                t.release();
            }
        }
    }

    /** The container's health: live for the containers this engine probes, else as last saved; null if none. */
    HealthStatus status(String id) {
        Tracked t = tracked.get(id);
        if (t != null) {
            synchronized (t) {
                if (t.lease != null) {
                    return t.snapshot();
                }
            }
        }
        return readJson(containerDirs.apply(id).resolve(STATUS_FILE), StatusFile.class)
                .map(StatusFile::toStatus).orElse(null);
    }

    private void schedule(Tracked t) {
        try {
            timer.schedule(() -> probes.execute(() -> probe(t)), t.config.interval(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException closed) {
            // the engine is closing: no more probes
        }
    }

    private void probe(Tracked t) {
        if (t.stopped) {
            return;
        }
        if (!runs.isRunning(t.id, t.startedAt)) {
            stop(t.id);
            return;
        }
        synchronized (t) {
            if (!t.stopped && t.lease == null && !t.acquire()) {
                schedule(t); // another engine probes it; try again at our next probe time
                return;
            }
        }
        Optional<RestartRecord> restart = restartRecord(t.dir);
        if (restart.map(RestartRecord::restarting).orElse(false)) {
            schedule(t); // the monitor waits to start the process again: probe the next run
            return;
        }
        synchronized (t) {
            t.follow(restart.map(RestartRecord::restartCount).orElse(0), Instant.now());
        }
        List<String> test = t.config.test();
        List<String> command = test.getFirst().equals("CMD-SHELL")
                ? List.of("/bin/sh", "-c", test.get(1)) : test.subList(1, test.size());
        Duration timeout = Duration.ofNanos(t.config.timeout());
        Instant start = Instant.now();
        int exitCode;
        String output;
        try {
            ExecResult r = exec.run(t.id, ExecOptions.defaults().withTimeout(timeout), command);
            exitCode = r.exitCode();
            output = r.stdout() + r.stderr();
        } catch (WaitTimeoutException e) {
            exitCode = -1;
            output = "Health check exceeded timeout (" + timeout + ")";
        } catch (ContainerStateException e) {
            if (restartRecord(t.dir).map(RestartRecord::restarting).orElse(false)) {
                schedule(t); // it exited under the probe and its monitor restarts it
            } else {
                stop(t.id);
            }
            return;
        } catch (RuntimeException e) {
            // Docker records a probe that could not be run as a failure with the reason as its output.
            exitCode = -1;
            output = e.getMessage() == null ? e.toString() : e.getMessage();
        }
        HealthStatus.Probe result = new HealthStatus.Probe(start, Instant.now(), exitCode, truncate(output));
        synchronized (t) {
            if (t.stopped) {
                return;
            }
            t.record(result);
            t.save();
        }
        schedule(t);
    }

    private static Optional<RestartRecord> restartRecord(Path dir) {
        try {
            return RestartRecord.read(dir);
        } catch (RuntimeException unreadable) { // being rewritten by the monitor: the next probe reads it
            return Optional.empty();
        }
    }

    private static String truncate(String output) {
        byte[] bytes = output.getBytes(StandardCharsets.UTF_8);
        if (bytes.length <= MAX_OUTPUT_BYTES) {
            return output;
        }
        return new String(bytes, 0, MAX_OUTPUT_BYTES, StandardCharsets.UTF_8);
    }

    private static <T> Optional<T> readJson(Path file, Class<T> type) {
        try {
            return Optional.of(OciJson.read(Files.readAllBytes(file), type));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new StorageException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** Stops probing and releases the leases, so another engine on the root takes over. */
    @Override
    public void close() {
        tracked.keySet().forEach(this::stop);
        timer.shutdownNow();
        probes.shutdownNow();
    }

    /** One tracked container run; guarded by its own monitor. */
    private static final class Tracked {
        final String id;
        final Path dir;
        final ImageConfig.HealthConfig config;
        final Instant startedAt;
        Instant startPeriodEnd;
        /** The monitor's restart count when last probed; -1 until the first probe. */
        int restarts = -1;
        final ArrayDeque<HealthStatus.Probe> log = new ArrayDeque<>();
        HealthStatus.State status = HealthStatus.State.STARTING;
        int failingStreak;
        volatile boolean stopped;
        /** Held while this engine is the one probing. */
        HealthLease lease;
        /** Whether the saved status is newer than ours when we take the lease: another engine probed. */
        boolean resumeFromFile;

        Tracked(String id, Path dir, ImageConfig.HealthConfig config, Instant startedAt, boolean resumeFromFile) {
            this.id = id;
            this.dir = dir;
            this.config = config;
            this.startedAt = startedAt;
            this.startPeriodEnd = startedAt.plusNanos(config.startPeriod());
            this.resumeFromFile = resumeFromFile;
        }

        boolean acquire() {
            lease = HealthLease.tryAcquire(dir).orElse(null);
            if (lease == null) {
                resumeFromFile = true;
                return false;
            }
            if (resumeFromFile) {
                readJson(dir.resolve(STATUS_FILE), StatusFile.class).map(StatusFile::toStatus).ifPresent(saved -> {
                    status = saved.status();
                    failingStreak = saved.failingStreak();
                    log.clear();
                    log.addAll(saved.log());
                });
                resumeFromFile = false;
            }
            return true;
        }

        void release() {
            if (lease != null) {
                lease.close();
                lease = null;
            }
        }

        /** A run the monitor restarted starts over as Docker's does: {@code starting}, a new start period. */
        void follow(int restartCount, Instant now) {
            if (restarts >= 0 && restartCount > restarts) {
                status = HealthStatus.State.STARTING;
                failingStreak = 0;
                startPeriodEnd = now.plusNanos(config.startPeriod());
            }
            restarts = restartCount;
        }

        void record(HealthStatus.Probe p) {
            if (log.size() == HealthStatus.MAX_LOG) {
                log.removeFirst();
            }
            log.addLast(p);
            if (p.exitCode() == 0) {
                failingStreak = 0;
                status = HealthStatus.State.HEALTHY;
            } else if (status != HealthStatus.State.STARTING || !p.start().isBefore(startPeriodEnd)) {
                failingStreak++;
                if (failingStreak >= config.retries()) {
                    status = HealthStatus.State.UNHEALTHY;
                }
            }
        }

        HealthStatus snapshot() {
            return new HealthStatus(status, failingStreak, List.copyOf(log));
        }

        /**
         * Atomic (readers see the old or the new status) but not synced: it is rewritten at every probe, and
         * after a crash the next probe recomputes it, so two fsyncs per probe would buy nothing.
         */
        void save() {
            Path tmp = null;
            try {
                tmp = Files.createTempFile(dir, ".health-", ".tmp");
                Files.write(tmp, OciJson.write(StatusFile.of(snapshot())));
                Files.move(tmp, dir.resolve(STATUS_FILE), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                AtomicFiles.deleteQuietly(tmp);
                throw new StorageException("cannot write " + dir.resolve(STATUS_FILE) + ": " + e.getMessage(), e);
            }
        }
    }

    /** {@code health.json}; times as RFC 3339 strings. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record StatusFile(String status, int failingStreak, List<ProbeFile> log) {
        static StatusFile of(HealthStatus s) {
            return new StatusFile(s.status().dockerName(), s.failingStreak(), s.log().stream()
                    .map(p -> new ProbeFile(p.start().toString(), p.end().toString(), p.exitCode(), p.output()))
                    .toList());
        }

        HealthStatus toStatus() {
            return new HealthStatus(HealthStatus.State.valueOf(status.toUpperCase(java.util.Locale.ROOT)),
                    failingStreak, log == null ? List.of() : log.stream().map(ProbeFile::toProbe).toList());
        }
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record ProbeFile(String start, String end, int exitCode, String output) {
        HealthStatus.Probe toProbe() {
            return new HealthStatus.Probe(Instant.parse(start), Instant.parse(end), exitCode, output);
        }
    }
}
