package dev.jcontainers.cli;

import dev.jcontainers.api.AttachedProcess;
import dev.jcontainers.api.ContainerStateException;
import dev.jcontainers.linux.ffm.Termios;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Connects the caller to an {@link AttachedProcess} ({@code -i}, {@code -t}): our stdin goes to the process
 * as it is typed, its output comes back as it is written. With a terminal on both sides ours is put in raw
 * mode (keys, {@code ^C} included, go to the container's terminal, which echoes and interprets them) and
 * restored on the way out, also when the JVM is stopped by a signal; its size follows ours (SIGWINCH).
 */
final class Interactive {
    private static final int STDIN_FD = 0;
    private static final long SIZE_POLL_MILLIS = 250;

    private Interactive() {
    }

    /** Relays until the process has exited and its output is drained; returns its exit code. */
    static int relay(AttachedProcess process, boolean forwardStdin, InputStream in, PrintWriter out, PrintWriter err) {
        boolean raw = process.tty() && forwardStdin && Termios.isTerminal(STDIN_FD);
        byte[] saved = raw ? Termios.makeRaw(STDIN_FD) : null;
        Thread restoreOnSignal = raw ? new Thread(() -> Termios.restore(STDIN_FD, saved)) : null;
        Runnable stopFollowingSize = () -> { };
        try {
            if (restoreOnSignal != null) {
                Runtime.getRuntime().addShutdownHook(restoreOnSignal);
            }
            if (process.tty()) {
                stopFollowingSize = followTerminalSize(process);
            }
            if (forwardStdin) {
                Thread.ofPlatform().daemon().name("jc-stdin").start(() -> forward(in, process.stdin(), !process.tty()));
            } else if (!process.tty()) {
                closeQuietly(process.stdin());
            }
            Thread errors = Thread.ofPlatform().daemon().name("jc-stderr").start(() -> copy(process.stderr(), err));
            copy(process.stdout(), out);
            errors.join();
            return process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ContainerStateException("interrupted while attached");
        } finally {
            stopFollowingSize.run();
            if (raw) {
                Termios.restore(STDIN_FD, saved);
                try {
                    Runtime.getRuntime().removeShutdownHook(restoreOnSignal);
                } catch (IllegalStateException shuttingDown) {
                    // the hook runs anyway
                }
            }
        }
    }

    /**
     * Sets the process's terminal to our size now and whenever ours changes: on SIGWINCH where the JVM lets
     * us handle it ({@code sun.misc.Signal}), else by polling the size a few times a second. Returns how
     * to stop following.
     */
    private static Runnable followTerminalSize(AttachedProcess process) {
        Optional<Termios.Size> first = currentSize();
        if (first.isEmpty()) {
            return () -> { };
        }
        Runnable update = () -> currentSize().ifPresent(s -> {
            try {
                process.resize(s.rows(), s.cols());
            } catch (ContainerStateException exited) {
                // the process is gone; the relay ends on its own
            }
        });
        update.run();
        try {
            sun.misc.Signal winch = new sun.misc.Signal("WINCH");
            sun.misc.SignalHandler previous = sun.misc.Signal.handle(winch, sig -> update.run());
            return () -> sun.misc.Signal.handle(winch, previous);
        } catch (IllegalArgumentException | LinkageError unavailable) {
            Thread poller = Thread.ofPlatform().daemon().name("jc-winch").start(() -> {
                Termios.Size last = first.get();
                try {
                    while (!Thread.currentThread().isInterrupted()) {
                        Thread.sleep(SIZE_POLL_MILLIS);
                        Optional<Termios.Size> now = currentSize();
                        if (now.isPresent() && !now.get().equals(last)) {
                            last = now.get();
                            update.run();
                        }
                    }
                } catch (InterruptedException stopped) {
                    // detached
                }
            });
            return poller::interrupt;
        }
    }

    /** Our terminal's size, to give the container's terminal from the start; (0, 0) without one. */
    static Termios.Size initialSize() {
        return currentSize().orElse(new Termios.Size(0, 0));
    }

    private static Optional<Termios.Size> currentSize() {
        return Termios.size(STDIN_FD).or(() -> Termios.size(1));
    }

    private static void forward(InputStream in, OutputStream to, boolean closeAtEnd) {
        byte[] buf = new byte[4096];
        try {
            int n;
            while ((n = in.read(buf)) > 0) {
                to.write(buf, 0, n);
                to.flush();
            }
        } catch (IOException e) {
            // the process is gone, or our stdin failed: either way nothing more to send
        } finally {
            if (closeAtEnd) { // end of input for a pipe; a terminal has no such thing (the user types ^D)
                closeQuietly(to);
            }
        }
    }

    private static void copy(InputStream from, PrintWriter to) {
        char[] buf = new char[4096];
        try (Reader reader = new InputStreamReader(from, StandardCharsets.UTF_8)) {
            int n;
            while ((n = reader.read(buf)) > 0) {
                synchronized (to) {
                    to.write(buf, 0, n);
                    to.flush();
                }
            }
        } catch (IOException e) {
            // the stream ended with the process
        }
    }

    private static void closeQuietly(OutputStream s) {
        try {
            s.close();
        } catch (IOException e) {
            // already closed
        }
    }
}
