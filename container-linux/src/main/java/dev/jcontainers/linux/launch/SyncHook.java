package dev.jcontainers.linux.launch;

/**
 * Called while the container process exists but has not yet run anything of its own (it waits for the
 * launcher's "go"): the place to put it into cgroups or hand it network interfaces. uid/gid maps of a
 * USER namespace are already written at this point. Throwing aborts the launch; the child is killed.
 */
@FunctionalInterface
public interface SyncHook {
    /** Nothing to do: without a USER namespace to map, the launcher then sends the "go" along with the plan. */
    SyncHook NONE = pid -> {
    };

    void onChildCreated(long pid);
}
