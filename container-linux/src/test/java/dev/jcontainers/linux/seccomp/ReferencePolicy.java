package dev.jcontainers.linux.seccomp;

import dev.jcontainers.linux.capability.Capability;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What a profile decides for one call, read straight from the profile without any BPF: the answer the
 * compiled program must give. Written apart from the compiler so that the two can disagree.
 */
final class ReferencePolicy {
    private final SeccompProfile profile;
    private final SeccompArch arch;
    private final Set<String> caps;
    private final KernelVersion kernel;
    private final Map<Integer, String> names;

    ReferencePolicy(SeccompProfile profile, SeccompArch arch, Set<Capability> caps, KernelVersion kernel) {
        this.profile = profile;
        this.arch = arch;
        this.caps = caps.stream().map(Capability::kernelName).collect(Collectors.toSet());
        this.kernel = kernel;
        this.names = SyscallTable.of(arch).asMap().entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getValue, Map.Entry::getKey));
    }

    int decide(int nr, long... args) {
        long[] all = java.util.Arrays.copyOf(args, 6);
        int fallback = profile.defaultReturnValue();
        if (arch.hasX32() && Integer.compareUnsigned(nr, 0x40000000) >= 0) {
            return Filters.errno(Filters.ENOSYS);
        }
        String name = names.get(nr);
        if (name == null) {
            return fallback;
        }
        List<SyscallRule> rules = profile.syscalls().stream()
                .filter(r -> r.allNames().contains(name) && inForce(r) && r.returnValue() != fallback)
                .toList();
        for (SyscallRule r : rules) {
            if (r.args().isEmpty()) {
                return r.returnValue();
            }
        }
        for (SyscallRule r : rules) {
            if (r.args().stream().allMatch(c -> c.test(all))) {
                return r.returnValue();
            }
        }
        return fallback;
    }

    private boolean inForce(SyscallRule r) {
        RuleFilter in = r.includes();
        RuleFilter ex = r.excludes();
        boolean archIn = in.arches().isEmpty() || in.arches().contains(arch.goName());
        boolean capsIn = caps.containsAll(in.caps());
        boolean kernelIn = in.minKernel() == null || kernel.compareTo(KernelVersion.parse(in.minKernel())) >= 0;
        boolean archOut = ex.arches().contains(arch.goName());
        boolean capsOut = ex.caps().stream().anyMatch(caps::contains);
        return archIn && capsIn && kernelIn && !archOut && !capsOut;
    }
}
