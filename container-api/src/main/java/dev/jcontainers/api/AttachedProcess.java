package dev.jcontainers.api;

import java.io.InputStream;
import java.io.OutputStream;

/**
 * A process in a container whose standard streams are attached to the caller ({@code docker run -i -t},
 * {@code docker exec -it}): from {@link Container#startAttached()} or {@link Container#execAttached}.
 *
 * <p>With a terminal ({@code tty}) the process runs on a pseudo-terminal of the container's own devpts:
 * {@link #stdout()} is everything the terminal shows (stdout and stderr together, line ends as
 * {@code \r\n}, typed input echoed), {@link #stderr()} is empty, and input goes through the terminal's line
 * discipline (so {@code ^C} (0x03) interrupts, {@code ^D} (0x04) ends a line of input). Without a terminal the
 * three are plain pipes and closing {@link #stdin()} is end of input.
 *
 * <p>Read the output streams while the process runs: they are not buffered beyond the kernel's pipes, so a
 * caller that never reads stalls the process. The streams block in native code; read them on platform
 * threads.
 */
public interface AttachedProcess extends AutoCloseable {
    /** Input to the process. */
    OutputStream stdin();

    /** The process's output (with a terminal: all of it); ends when the process and its monitor are gone. */
    InputStream stdout();

    /** The process's standard error; empty with a terminal. */
    InputStream stderr();

    /** Whether the process runs on a terminal. */
    boolean tty();

    /**
     * Sets the terminal's size; the process gets SIGWINCH.
     *
     * @throws ContainerStateException when there is no terminal, or the process has exited
     */
    void resize(int rows, int cols);

    /** Blocks until the process exits; returns its exit code (128 + signal when killed). */
    int waitFor();

    /**
     * Closes the streams. An exec process still running is killed; a container's main process keeps
     * running (stop it through its {@link Container}).
     */
    @Override
    void close();
}
