package dev.jcontainers.core.container;

import dev.jcontainers.api.AttachedProcess;
import dev.jcontainers.api.ContainerStateException;
import dev.jcontainers.linux.launch.AttachPipes;

import java.io.InputStream;
import java.io.OutputStream;
import java.util.function.IntSupplier;

/** An {@link AttachedProcess} over the caller's ends of {@link AttachPipes}; the process side is given as functions. */
final class LocalAttachedProcess implements AttachedProcess {
    /** Resizes the terminal; false when that is no longer possible (the process exited). */
    interface Resizer {
        boolean resize(int rows, int cols);
    }

    private final AttachPipes pipes;
    private final boolean tty;
    private final Resizer resizer;
    private final IntSupplier waiter;
    private final Runnable onClose;

    LocalAttachedProcess(AttachPipes pipes, boolean tty, Resizer resizer, IntSupplier waiter, Runnable onClose) {
        this.pipes = pipes;
        this.tty = tty;
        this.resizer = resizer;
        this.waiter = waiter;
        this.onClose = onClose;
    }

    @Override
    public OutputStream stdin() {
        return pipes.stdin();
    }

    @Override
    public InputStream stdout() {
        return pipes.stdout();
    }

    @Override
    public InputStream stderr() {
        return pipes.stderr();
    }

    @Override
    public boolean tty() {
        return tty;
    }

    @Override
    public void resize(int rows, int cols) {
        if (rows < 1 || rows > 0xffff || cols < 1 || cols > 0xffff) {
            throw new IllegalArgumentException("bad terminal size " + rows + "x" + cols);
        }
        if (!tty) {
            throw new ContainerStateException("the process has no terminal to resize");
        }
        if (!resizer.resize(rows, cols)) {
            throw new ContainerStateException("the process has exited; its terminal is gone");
        }
    }

    @Override
    public int waitFor() {
        return waiter.getAsInt();
    }

    @Override
    public void close() {
        try {
            onClose.run();
        } finally {
            pipes.close();
        }
    }
}
