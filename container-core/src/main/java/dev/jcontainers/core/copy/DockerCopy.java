package dev.jcontainers.core.copy;

import dev.jcontainers.api.ContainerException;
import dev.jcontainers.api.ContainerPathNotFoundException;

import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.UncheckedIOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * {@code docker cp SRC DEST} between two {@link CopyEndpoint}s, with Docker's rules for what the
 * destination means:
 * <ul>
 * <li>a file goes to DEST, or into DEST under its own name when DEST is a directory; DEST ending in
 *     {@code /} must then be an existing directory;</li>
 * <li>a directory goes into an existing directory DEST under its own name, or its contents only when SRC
 *     ends in {@code /.}; it becomes DEST when DEST does not exist; it cannot replace a file;</li>
 * <li>a symlink as SRC is copied as a link, unless SRC ends in {@code /} or {@code /.}.</li>
 * </ul>
 * The source is archived as tar and extracted on the other side, streamed through a pipe.
 */
public final class DockerCopy {
    private DockerCopy() {
    }

    /** A source path taken apart: the path to open, whether to follow it, and the name it lands as. */
    record Source(String path, boolean followLast, boolean contentsOnly, String name) {
        static Source of(String raw) {
            boolean contents = raw.endsWith("/.") || raw.equals(".");
            boolean trailing = raw.endsWith("/");
            String path = raw;
            while (path.length() > 1 && (path.endsWith("/") || path.endsWith("/."))) {
                path = path.substring(0, path.length() - (path.endsWith("/") ? 1 : 2));
            }
            String name = baseName(path);
            return new Source(path.isEmpty() ? "/" : path, contents || trailing || name.isEmpty(),
                    contents || name.isEmpty(), name);
        }
    }

    public static void copy(CopyEndpoint from, String srcPath, CopyEndpoint to, String destPath, Ownership owner) {
        Source src = Source.of(srcPath);
        boolean srcIsDir = isDirectory(from, src, srcPath);
        String dest = destPath.length() > 1 && destPath.endsWith("/.") ? destPath.substring(0, destPath.length() - 1)
                : destPath;
        var destIsDir = to.isDirectory(dest, true);
        String dir;
        String rebase;
        if (destIsDir.orElse(false)) {
            dir = dest;
            rebase = src.contentsOnly() ? "" : src.name();
        } else if (destIsDir.isPresent()) {
            if (srcIsDir) {
                throw new ContainerException("cannot copy a directory to the file " + to.describe(dest));
            }
            dir = parent(dest);
            rebase = baseName(dest);
        } else {
            if (dest.endsWith("/") && !srcIsDir) {
                throw new ContainerPathNotFoundException("destination directory " + to.describe(dest)
                        + " does not exist");
            }
            String trimmed = dest.length() > 1 && dest.endsWith("/") ? dest.substring(0, dest.length() - 1) : dest;
            dir = parent(trimmed);
            rebase = baseName(trimmed);
            if (!to.isDirectory(dir, true).orElse(false)) {
                throw new ContainerPathNotFoundException("destination directory " + to.describe(dir)
                        + " does not exist");
            }
        }
        String into = dir;
        String name = rebase;
        stream(out -> from.archive(src.path(), src.followLast(), name, out), in -> to.extract(into, in, owner));
    }

    /** {@code docker cp CONTAINER:PATH -}: the source as a tar stream, named as {@link #copy} would. */
    public static void archive(CopyEndpoint from, String srcPath, java.io.OutputStream tar) throws IOException {
        Source src = Source.of(srcPath);
        isDirectory(from, src, srcPath);
        from.archive(src.path(), src.followLast(), src.contentsOnly() ? "" : src.name(), tar);
    }

    /** Whether the source is a directory; it must exist, and be one when its path says so. */
    private static boolean isDirectory(CopyEndpoint from, Source src, String srcPath) {
        boolean dir = from.isDirectory(src.path(), src.followLast()).orElseThrow(() ->
                new ContainerPathNotFoundException("Could not find the file " + from.describe(src.path())));
        if (src.followLast() && !dir) {
            throw new ContainerException(from.describe(srcPath) + " is not a directory");
        }
        return dir;
    }

    interface Producer {
        void write(java.io.OutputStream out) throws IOException;
    }

    interface Consumer {
        void read(java.io.InputStream in) throws IOException;
    }

    /** Runs {@code producer} on its own thread into a pipe that {@code consumer} reads on this one. */
    static void stream(Producer producer, Consumer consumer) {
        try (PipedInputStream in = new PipedInputStream(1 << 16)) {
            PipedOutputStream out = new PipedOutputStream(in);
            CompletableFuture<Void> written = new CompletableFuture<>();
            Thread.ofPlatform().daemon().name("jc-cp").start(() -> {
                try (out) {
                    producer.write(out);
                    written.complete(null);
                } catch (Throwable t) {
                    written.completeExceptionally(t);
                }
            });
            try {
                consumer.read(in);
                in.transferTo(java.io.OutputStream.nullOutputStream()); // let the writer finish
            } catch (IOException | RuntimeException e) {
                in.close(); // the writer fails fast on the closed pipe
                written.exceptionally(t -> null).join();
                throw e;
            }
            written.get();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ContainerException("interrupted while copying", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new ContainerException("copy failed: " + e.getCause().getMessage(), e.getCause());
        }
    }

    static String baseName(String path) {
        String p = path.endsWith("/") && path.length() > 1 ? path.substring(0, path.length() - 1) : path;
        return p.substring(p.lastIndexOf('/') + 1);
    }

    static String parent(String path) {
        int slash = path.lastIndexOf('/');
        return slash < 0 ? "." : slash == 0 ? "/" : path.substring(0, slash);
    }
}
