package dev.jcontainers.api;

import java.util.List;
import java.util.function.Consumer;

/** A container's output as the engine recorded it (Docker's json-file log), readable while it runs and after. */
public interface ContainerLogs {
    /** Every line so far, both streams, in order. */
    List<LogLine> lines();

    /** The stdout text so far. */
    String stdout();

    /** The stderr text so far. */
    String stderr();

    /**
     * Delivers every line so far and then each new one as it is written, on a background thread, until
     * the container exits and its output is drained, or the returned handle is closed.
     */
    Following follow(Consumer<LogLine> consumer);

    interface Following extends AutoCloseable {
        /** Blocks until the container exited and every line was delivered. */
        void await();

        @Override
        void close();
    }
}
