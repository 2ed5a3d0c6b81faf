package dev.jcontainers.linux.net;

import dev.jcontainers.linux.ffm.Sched;
import dev.jcontainers.linux.ffm.Unistd;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A network namespace held open by a file descriptor, and a way to run code inside it.
 *
 * <p>Network namespaces are per thread, and sockets belong to the namespace of the thread that created
 * them. So code that must create sockets in another namespace runs on a fresh platform thread that
 * {@code setns}es first and ends with the task (a thread in a foreign namespace is never reused); the
 * sockets it creates keep working from any thread afterwards.
 *
 * <p>The namespace lives while this descriptor, a socket in it, a process in it or a bind mount of it
 * does; closing the last reference destroys it with every link inside (a veth whose peer is elsewhere
 * disappears with it).
 */
public final class NetworkNamespace implements AutoCloseable {
    private static final Path THREAD_NET_NS = Path.of("/proc/thread-self/ns/net");

    private final int fd;
    private boolean closed;

    private NetworkNamespace(int fd) {
        this.fd = fd;
    }

    /** A new, empty namespace (only a down {@code lo}), owned by the returned object. Needs CAP_SYS_ADMIN. */
    public static NetworkNamespace create() {
        return new NetworkNamespace(unchecked(null, () -> {
            Sched.unshare(Sched.CLONE_NEWNET);
            return Unistd.open(THREAD_NET_NS, Unistd.O_RDONLY | Unistd.O_CLOEXEC);
        }));
    }

    /** Opens an existing namespace, e.g. {@code /proc/<pid>/ns/net} or a file under {@code /run/netns}. */
    public static NetworkNamespace open(Path netnsFile) {
        return new NetworkNamespace(Unistd.open(netnsFile, Unistd.O_RDONLY | Unistd.O_CLOEXEC));
    }

    /** The descriptor, for {@link NetlinkSession#moveToNetns} and {@link NetlinkSession#createVethPair}. */
    public int fd() {
        return fd;
    }

    /** A path naming this namespace for as long as it is open ({@code /proc/self/fd/N}). */
    public Path path() {
        return Path.of("/proc/self/fd/" + fd);
    }

    /** Runs {@code task} on a new platform thread that has entered this namespace. */
    public <T> T call(Callable<T> task) throws Exception {
        return onDedicatedThread(this, task);
    }

    /**
     * Starts {@code task} on a new platform thread that enters this namespace, and returns at once: the caller
     * goes on with other work meanwhile. Keep this namespace open until the future is done (the thread enters
     * it through this descriptor), and take care of the result even if no longer wanted: it may hold sockets.
     */
    public <T> CompletableFuture<T> submit(Callable<T> task) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Thread.ofPlatform().name("jc-netns-" + fd).start(() -> {
            try {
                Sched.setns(fd, Sched.CLONE_NEWNET);
                result.complete(task.call());
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        });
        return result;
    }

    /** An rtnetlink session whose socket lives in this namespace. */
    public NetlinkSession openSession() {
        return unchecked(this, NetlinkSession::open);
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            Unistd.close(fd);
        }
    }

    @Override
    public String toString() {
        return "NetworkNamespace[fd " + fd + "]";
    }

    /** {@link #onDedicatedThread} for tasks that throw only unchecked exceptions. */
    static <T> T unchecked(NetworkNamespace ns, Callable<T> task) {
        try {
            return onDedicatedThread(ns, task);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Runs {@code task} on a fresh platform thread, first moved into {@code ns} when given. Waits without
     * giving up on interrupt: a task abandoned half-way could leak the descriptor it was creating.
     */
    static <T> T onDedicatedThread(NetworkNamespace ns, Callable<T> task) throws Exception {
        AtomicReference<T> result = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread thread = Thread.ofPlatform().name("jc-netns-" + (ns == null ? "new" : ns.fd)).unstarted(() -> {
            try {
                if (ns != null) {
                    Sched.setns(ns.fd, Sched.CLONE_NEWNET);
                }
                result.set(task.call());
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        thread.start();
        boolean interrupted = false;
        while (true) {
            try {
                thread.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        Throwable t = failure.get();
        if (t instanceof Exception e) {
            throw e;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return result.get();
    }
}
