package dev.jcontainers.linux.launch;

import java.nio.file.Path;
import java.util.List;

import dev.jcontainers.linux.launch.LaunchPlan.Lifetime;
import dev.jcontainers.linux.namespace.Namespace;

/**
 * The JVM that LifetimeTest kills: launches {@code sleep 1000} with the lifetime given in args[0] from the
 * rootfs in args[2] with the helper in args[1], prints the container's pid and waits to be killed.
 */
public final class LifetimeChild {
    private LifetimeChild() {
    }

    public static void main(String[] args) throws Exception {
        Lifetime lifetime = Lifetime.valueOf(args[0]);
        Path rootfs = Path.of(args[2]);
        Path stateDir = Path.of(args[3]);
        boolean pidNamespace = lifetime == Lifetime.SANDBOX; // a pid-1 sleep would ignore the test's SIGTERM
        LaunchPlan.Builder plan = LaunchPlan.builder().privateNamespaces(Namespace.MNT)
                .mounts(ContainerMounts.standard(rootfs, false, false, false, List.of()))
                .env(BusyboxRootfs.ENV)
                .lifetime(lifetime)
                .stateDir(stateDir)
                .command("sleep", "1000");
        if (pidNamespace) {
            plan.privateNamespaces(Namespace.PID);
        }
        LaunchedContainer c = new Launcher(Path.of(args[1])).launch(plan.build(), SyncHook.NONE);
        System.out.println(c.pid());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
