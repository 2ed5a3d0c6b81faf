package dev.jcontainers.core.container;

import dev.jcontainers.api.AttachedProcess;
import dev.jcontainers.api.ContainerException;
import dev.jcontainers.api.ContainerStateException;
import dev.jcontainers.api.ExecOptions;
import dev.jcontainers.api.ExecResult;
import dev.jcontainers.api.WaitTimeoutException;
import dev.jcontainers.linux.ffm.Pidfd;
import dev.jcontainers.linux.launch.AttachPipes;
import dev.jcontainers.linux.launch.ExitStatus;
import dev.jcontainers.linux.launch.LaunchPlan;
import dev.jcontainers.linux.launch.LaunchedContainer;
import dev.jcontainers.linux.launch.Launcher;
import dev.jcontainers.linux.launch.StdioPipes;
import dev.jcontainers.linux.launch.SyncHook;
import dev.jcontainers.linux.namespace.Namespace;
import dev.jcontainers.linux.namespace.NamespaceMode;
import dev.jcontainers.oci.runtime.RuntimeSpec;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code docker exec}: one more process in a running container. The launch helper joins every namespace
 * of the container's process (user first; the PID namespace before its clone, so the process is a member),
 * the process is placed in the container's cgroup, and it runs with the container's user, environment,
 * working directory, capabilities, no_new_privs and rlimits from {@code config.json}, unless the caller
 * overrides user, environment or working directory. No mounts: joining the mount namespace gives the
 * container's root. stdout and stderr come back through pipes; the process is a sandbox, so it dies with
 * this JVM, and with the container's PID namespace when the container stops.
 */
final class ContainerExec {
    private ContainerExec() {
    }

    /**
     * @param pid      the container's process, in the JVM's PID namespace
     * @param cgroupV2 the container's cgroup directory on a cgroup v2 host (CLONE_INTO_CGROUP)
     */
    static LaunchPlan plan(RuntimeSpec spec, long pid, ExecOptions options, List<String> command,
                           Optional<Path> cgroupV2, boolean attached) {
        if (command.isEmpty() || command.getFirst().isEmpty()) {
            throw new IllegalArgumentException("exec needs a command");
        }
        Path proc = Path.of("/proc", Long.toString(pid));
        // the container's root as its process sees it, bind and tmpfs mounts included
        Path root = proc.resolve("root");
        LaunchPlan.Builder plan = LaunchPlan.builder();
        for (RuntimeSpec.Namespace ns : spec.linux().namespaces()) {
            Namespace type = LaunchPlanFactory.NAMESPACES.get(ns.type());
            if (type == null) {
                throw new ContainerException("unknown namespace type " + ns.type());
            }
            plan.namespace(type, NamespaceMode.join(proc.resolve("ns").resolve(type.procName())));
        }
        cgroupV2.ifPresent(plan::cgroup);

        RuntimeSpec.Process p = spec.process();
        Map<String, String> env = new LinkedHashMap<>();
        LaunchPlan.Capabilities caps = LaunchPlanFactory.capabilities(p.capabilities());
        if (options.user() != null) {
            UserResolver.ResolvedUser user = UserResolver.resolve(root, options.user());
            plan.user(user.uid(), user.gid(), user.additionalGids());
            env.put("HOME", user.home());
            if (user.uid() != 0) { // as setuid(2) from root would: a non-root user holds no capabilities
                caps = new LaunchPlan.Capabilities(caps.bounding(), 0, 0, 0, 0);
            }
        } else {
            plan.user(p.user().uid(), p.user().gid(),
                    p.user().additionalGids() == null ? List.of() : p.user().additionalGids());
        }
        env.putAll(options.env());
        List<String> merged = EnvMerger.merge(p.env(), env, null, null);
        plan.capabilities(caps);
        plan.noNewPrivileges(p.noNewPrivileges());
        LaunchPlanFactory.seccomp(spec).ifPresent(plan::seccomp);
        for (RuntimeSpec.Rlimit r : p.rlimits()) {
            plan.rlimit(LaunchPlanFactory.rlimitNumber(r.type()), r.soft(), r.hard());
        }
        plan.cwd(options.workingDir() != null ? options.workingDir() : p.cwd());
        plan.env(merged);
        plan.command(command);
        plan.executable(LaunchPlanFactory.resolveExecutable(root, command.getFirst(), merged));
        LaunchPlan.StreamMode stdin = attached || options.stdin() != null ? LaunchPlan.StreamMode.INHERIT
                : LaunchPlan.StreamMode.NULL;
        if (options.tty()) {
            plan.terminal(new LaunchPlan.TerminalSize(options.rows(), options.cols()));
        }
        plan.stdio(new LaunchPlan.Stdio(stdin, LaunchPlan.StreamMode.INHERIT, LaunchPlan.StreamMode.INHERIT));
        plan.lifetime(LaunchPlan.Lifetime.SANDBOX);
        return plan.build();
    }

    /**
     * Launches {@code plan} with its streams on pipes the caller reads and writes. The process is a sandbox:
     * closing the returned process kills it if it still runs.
     */
    static AttachedProcess attach(Launcher launcher, LaunchPlan plan, SyncHook cgroupHook, LaunchedContainer target,
                                  String containerId) {
        AttachPipes pipes = new AttachPipes();
        LaunchedContainer process;
        try {
            process = launcher.launch(plan, checked(cgroupHook, target, containerId), pipes.childStdin(),
                    pipes.childStdout(), pipes.childStderr());
            pipes.closeChildEnds();
        } catch (RuntimeException e) {
            pipes.close();
            throw e;
        }
        return new LocalAttachedProcess(pipes, plan.terminal().isPresent(), process::resizeTerminal,
                () -> process.waitFor().exitCode(), () -> {
                    if (process.exitStatus().isEmpty()) {
                        process.signal(Signals.SIGKILL);
                        process.waitFor();
                    }
                    process.close();
                });
    }

    /** Refuses the exec when the container's process is gone by the time the helper holds its namespace files. */
    private static SyncHook checked(SyncHook cgroupHook, LaunchedContainer target, String containerId) {
        return pid -> {
            if (Pidfd.available() && target.exitStatus().isPresent()) {
                throw new ContainerStateException("Container " + containerId + " is not running");
            }
            cgroupHook.onChildCreated(pid);
        };
    }

    /**
     * Launches {@code plan}, feeds stdin, collects the output and waits for the exit.
     *
     * @param cgroupHook places the new process in the container's cgroup (cgroup v1)
     * @param target     the container's process: if it is gone by the time the helper holds the namespace
     *                   files, they may belong to a process that reused its pid, and the exec is refused
     */
    static ExecResult run(Launcher launcher, LaunchPlan plan, SyncHook cgroupHook, LaunchedContainer target,
                          ExecOptions options, String containerId) {
        SyncHook hook = checked(cgroupHook, target, containerId);
        Duration timeout = options.timeout();
        try (StdioPipes pipes = StdioPipes.open(options.stdin())) {
            try (LaunchedContainer process = launcher.launch(plan, hook, pipes.stdinFd(), pipes.stdoutFd(),
                    pipes.stderrFd())) {
                pipes.closeChildEnds();
                long deadline = timeout == null ? Long.MAX_VALUE : System.nanoTime() + timeout.toNanos();
                if (!pipes.pump(() -> process.exitStatus().isPresent(), deadline)) {
                    process.signal(Signals.SIGKILL);
                    process.waitFor();
                    throw new WaitTimeoutException("exec " + plan.argv().getFirst() + " in container "
                            + containerId.substring(0, 12), timeout);
                }
                ExitStatus exit = process.waitFor();
                return new ExecResult(exit.exitCode(), new String(pipes.stdout(), StandardCharsets.UTF_8),
                        new String(pipes.stderr(), StandardCharsets.UTF_8));
            }
        }
    }
}
