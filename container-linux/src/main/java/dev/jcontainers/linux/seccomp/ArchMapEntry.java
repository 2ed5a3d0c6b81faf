package dev.jcontainers.linux.seccomp;

import java.util.List;

/** An {@code archMap} entry: a libseccomp architecture and the ABIs that come with it on that machine. */
public record ArchMapEntry(String architecture, List<String> subArchitectures) {
    public ArchMapEntry {
        subArchitectures = subArchitectures == null ? List.of() : List.copyOf(subArchitectures);
    }
}
