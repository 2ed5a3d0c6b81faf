package dev.jcontainers.linux.seccomp;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;

/**
 * The {@code includes} or {@code excludes} of a Docker profile rule: capability names ({@code CAP_SYS_ADMIN}),
 * Go architecture names ({@code amd64}, {@code arm64}) and, for includes only, a minimum kernel
 * ({@code "4.8"}).
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record RuleFilter(List<String> caps, List<String> arches, String minKernel) {
    public static final RuleFilter NONE = new RuleFilter(null, null, null);

    public RuleFilter {
        caps = caps == null ? List.of() : List.copyOf(caps);
        arches = arches == null ? List.of() : List.copyOf(arches);
    }
}
