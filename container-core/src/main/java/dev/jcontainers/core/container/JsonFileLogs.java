package dev.jcontainers.core.container;

import com.fasterxml.jackson.core.JsonParser;
import dev.jcontainers.api.ContainerLogs;
import dev.jcontainers.api.LogLine;
import dev.jcontainers.api.StorageException;
import dev.jcontainers.oci.json.Json;
import dev.jcontainers.oci.json.JsonReader;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Reads the log the launch helper writes in Docker's json-file format: one JSON object per line,
 * {@code {"log":"text\n","stream":"stdout","time":"..."}}; rotated files are {@code container.log.N}, oldest
 * highest.
 */
final class JsonFileLogs implements ContainerLogs {
    private static final long FOLLOW_POLL_MILLIS = 20;
    private final Path log;
    private final BooleanSupplier running;
    private final CompletableFuture<?> exit;

    /** {@code exit}, when known, completes as the container exits: a follower then stops at once, not a poll later. */
    JsonFileLogs(Path log, BooleanSupplier running, CompletableFuture<?> exit) {
        this.log = log;
        this.running = running;
        this.exit = exit != null ? exit : new CompletableFuture<>();
    }

    @Override
    public List<LogLine> lines() {
        List<LogLine> out = new ArrayList<>();
        for (int i = 9; i >= 1; i--) {
            readFrom(log.resolveSibling(log.getFileName() + "." + i), 0, out);
        }
        readFrom(log, 0, out);
        return out;
    }

    @Override
    public String stdout() {
        return join(LogLine.Stream.STDOUT);
    }

    @Override
    public String stderr() {
        return join(LogLine.Stream.STDERR);
    }

    private String join(LogLine.Stream stream) {
        StringBuilder sb = new StringBuilder();
        for (LogLine l : lines()) {
            if (l.stream() == stream) {
                sb.append(l.text());
            }
        }
        return sb.toString();
    }

    @Override
    public Following follow(Consumer<LogLine> consumer) {
        CountDownLatch done = new CountDownLatch(1);
        // virtual: an embedder may follow hundreds of containers (a platform thread here would save a cold `jc run`
        // the virtual-thread scheduler's start, ~3 ms, at that price)
        Thread t = Thread.ofVirtual().name("logs-" + log.getParent().getFileName()).start(() -> {
            try {
                long offset = 0;
                List<LogLine> batch = new ArrayList<>();
                while (true) {
                    boolean alive = running.getAsBoolean();
                    batch.clear();
                    offset = readFrom(log, offset, batch);
                    batch.forEach(consumer);
                    if (!alive) {
                        batch.clear();
                        readFrom(log, offset, batch);
                        batch.forEach(consumer);
                        return;
                    }
                    pause();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                done.countDown();
            }
        });
        return new Following() {
            @Override
            public void await() {
                try {
                    done.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }

            @Override
            public void close() {
                t.interrupt();
                await();
            }
        };
    }

    /**
     * The complete lines written to the current file since {@code offset}, appended to {@code out}; returns
     * the offset to read from next. A file shorter than {@code offset} was rotated: it is read from its start.
     */
    long readSince(long offset, List<LogLine> out) {
        long from = offset;
        try {
            if (Files.size(log) < offset) {
                from = 0;
            }
        } catch (IOException e) {
            return offset;
        }
        return readFrom(log, from, out);
    }

    /** Until the next poll, or until the container exits if that comes first (once). */
    private void pause() throws InterruptedException {
        if (exit.isDone()) {
            Thread.sleep(FOLLOW_POLL_MILLIS);
            return;
        }
        try {
            exit.get(FOLLOW_POLL_MILLIS, TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            // poll again; a failed wait leaves the record to tell whether it still runs
        }
    }

    /** Appends complete lines from {@code offset}; returns the offset after the last complete line. */
    private static long readFrom(Path file, long offset, List<LogLine> out) {
        byte[] bytes;
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
            long len = raf.length();
            if (len <= offset) {
                return offset;
            }
            bytes = new byte[(int) Math.min(Integer.MAX_VALUE - 8, len - offset)];
            raf.seek(offset);
            raf.readFully(bytes);
        } catch (NoSuchFileException | java.io.FileNotFoundException e) {
            return offset;
        } catch (IOException e) {
            throw new StorageException("cannot read log " + file + ": " + e.getMessage(), e);
        }
        int start = 0;
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == '\n') {
                parse(new String(bytes, start, i - start, StandardCharsets.UTF_8), out);
                start = i + 1;
            }
        }
        return offset + start;
    }

    private static void parse(String line, List<LogLine> out) {
        if (line.isBlank()) {
            return;
        }
        try {
            out.add(Json.read(line, JsonFileLogs::logLine));
        } catch (IOException | RuntimeException e) {
            // A torn last line after a crash: skip it rather than fail every read.
        }
    }

    /** One line's object; a missing log is empty text, a missing stream stdout, a missing time null. */
    private static LogLine logLine(JsonParser p) throws IOException {
        JsonReader.expectObject(p, "log line");
        String log = "";
        LogLine.Stream stream = LogLine.Stream.STDOUT;
        Instant time = null;
        while (JsonReader.nextField(p)) {
            switch (p.currentName()) {
                case "log" -> log = Objects.requireNonNullElse(JsonReader.string(p), "");
                case "stream" -> stream = "stderr".equals(JsonReader.string(p)) ? LogLine.Stream.STDERR
                        : LogLine.Stream.STDOUT;
                case "time" -> {
                    String text = JsonReader.string(p);
                    time = text == null ? null : Instant.parse(text);
                }
                default -> p.skipChildren();
            }
        }
        return new LogLine(stream, time, log);
    }

    static boolean exists(Path log) {
        return Files.exists(log);
    }
}
