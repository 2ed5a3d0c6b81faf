package dev.jcontainers.api;

import java.util.List;
import java.util.Map;

/** The part of an image config that tells how to run it ({@code config} in the OCI image config). */
public record ImageRuntimeConfig(String user, List<String> env, List<String> entrypoint, List<String> cmd,
                                 String workingDir, List<String> exposedPorts, List<String> volumes,
                                 Map<String, String> labels, String stopSignal) {
    public ImageRuntimeConfig {
        env = env == null ? List.of() : List.copyOf(env);
        entrypoint = entrypoint == null ? null : List.copyOf(entrypoint);
        cmd = cmd == null ? null : List.copyOf(cmd);
        exposedPorts = exposedPorts == null ? List.of() : List.copyOf(exposedPorts);
        volumes = volumes == null ? List.of() : List.copyOf(volumes);
        labels = labels == null ? Map.of() : Map.copyOf(labels);
    }
}
