package dev.jcontainers.api;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Everything a container is created from: what {@code docker create} takes. Build one with
 * {@link ContainerBuilder}. Null means "the image's value" or "no limit"; for {@code entrypoint} an empty
 * list resets the image's entrypoint, as {@code --entrypoint ""} does.
 *
 * <p>{@code detached}: false makes a sandbox that dies with the JVM that started it (also on SIGKILL of the
 * JVM); true makes a container that outlives the JVM and a later engine can find it.
 *
 * <p>Security, as {@code docker run}'s flags: {@code capAdd}/{@code capDrop} change Docker's default
 * capability set (names with or without {@code CAP_}, or {@code ALL}); {@code privileged} grants every
 * capability and lifts the seccomp filter and the masked and read-only paths; {@code seccompProfile} is
 * {@code builtin} (null: Docker's default profile), {@code unconfined} or the path of a profile in Docker's
 * JSON format; {@code groupAdd} are supplementary groups, names resolved in the image's {@code /etc/group}.
 *
 * <p>{@code ports} are published on the host ({@code -p}); {@code publishAllPorts} ({@code -P}) adds every
 * port the image {@code EXPOSE}s on a free host port. Both need a bridge network.
 *
 * <p>{@code healthCheck}: null runs the image's {@code HEALTHCHECK} if it has one; {@link HealthCheck#NONE}
 * runs none.
 *
 * <p>{@code restartPolicy}: null is {@link RestartPolicy#NO}; a restarting container cannot be auto-removed.
 * <p>{@code tty} gives the process a pseudo-terminal ({@code -t}); {@code stdinOpen} keeps its stdin open
 * for an attached caller ({@code -i}, see {@link Container#startAttached()}).
 */
public record ContainerSpec(
        String image,
        String name,
        List<String> entrypoint,
        List<String> command,
        Map<String, String> env,
        String workingDir,
        String user,
        String hostname,
        Map<String, String> labels,
        DataSize memory,
        DataSize memoryReservation,
        DataSize memorySwap,
        Double cpus,
        Long cpuShares,
        String cpusetCpus,
        String cpusetMems,
        Long pidsLimit,
        NetworkMode network,
        NamespaceMode pidMode,
        NamespaceMode ipcMode,
        NamespaceMode utsMode,
        boolean userNamespace,
        boolean readOnlyRootfs,
        List<MountSpec> mounts,
        List<PortBinding> ports,
        boolean autoRemove,
        boolean detached,
        String stopSignal,
        Duration stopTimeout,
        List<String> capAdd,
        List<String> capDrop,
        boolean privileged,
        boolean noNewPrivileges,
        String seccompProfile,
        List<String> groupAdd,
        List<Ulimit> ulimits,
        Integer blkioWeight,
        List<BlkioLimit> blkioLimits,
        Duration monotonicOffset,
        Duration boottimeOffset,
        HealthCheck healthCheck,
        RestartPolicy restartPolicy,
        boolean publishAllPorts,
        boolean tty,
        boolean stdinOpen) {

    public ContainerSpec {
        restartPolicy = restartPolicy == null ? RestartPolicy.NO : restartPolicy;
        if (restartPolicy.restarts() && autoRemove) {
            throw new IllegalArgumentException("conflicting options: cannot specify both --restart and --rm");
        }
        blkioLimits = blkioLimits == null ? List.of() : List.copyOf(blkioLimits);
        if (blkioWeight != null && (blkioWeight < 10 || blkioWeight > 1000)) {
            throw new IllegalArgumentException("blkio weight must be between 10 and 1000: " + blkioWeight);
        }
        if (image == null || image.isBlank()) {
            throw new IllegalArgumentException("a container needs an image");
        }
        entrypoint = entrypoint == null ? null : List.copyOf(entrypoint);
        command = command == null ? null : List.copyOf(command);
        env = env == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(env));
        labels = labels == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(labels));
        mounts = mounts == null ? List.of() : List.copyOf(mounts);
        ports = ports == null ? List.of() : List.copyOf(ports);
        if (network == null) {
            network = NetworkMode.none();
        }
        if (pidMode == null) {
            pidMode = NamespaceMode.PRIVATE;
        }
        if (ipcMode == null) {
            ipcMode = NamespaceMode.PRIVATE;
        }
        if (utsMode == null) {
            utsMode = NamespaceMode.PRIVATE;
        }
        if (cpus != null && (cpus <= 0 || cpus.isNaN() || cpus.isInfinite())) {
            throw new IllegalArgumentException("cpus must be a positive number: " + cpus);
        }
        if (pidsLimit != null && pidsLimit == 0) {
            throw new IllegalArgumentException("pids limit must be positive, or -1 for unlimited");
        }
        capAdd = names(capAdd, "capability");
        capDrop = names(capDrop, "capability");
        groupAdd = names(groupAdd, "group");
        if (seccompProfile != null && seccompProfile.isBlank()) {
            throw new IllegalArgumentException("seccomp profile must be builtin, unconfined or a file path");
        }
        ulimits = ulimits == null ? List.of() : List.copyOf(ulimits);
        if (ulimits.stream().map(Ulimit::name).distinct().count() != ulimits.size()) {
            throw new IllegalArgumentException("ulimit given twice: " + ulimits);
        }
    }

    private static List<String> names(List<String> names, String what) {
        if (names == null) {
            return List.of();
        }
        for (String n : names) {
            if (n == null || n.isBlank()) {
                throw new IllegalArgumentException("empty " + what + " name");
            }
        }
        return List.copyOf(names);
    }
}
