package dev.jcontainers.linux.seccomp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jcontainers.linux.capability.Capabilities;
import dev.jcontainers.linux.capability.Capability;

import java.io.IOException;
import java.io.InputStream;
import java.util.EnumSet;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The programs the build compiled from Docker's profile are the ones the compiler makes of its JSON now. */
class DefaultSeccompProgramsTest {
    private static final SeccompProfile DOCKER = SeccompProfile.dockerDefault();
    private static final KernelVersion RECENT = new KernelVersion(6, 1);

    @Test
    void theShippedResourceIsWhatTheProfileCompilesTo() throws IOException {
        Properties shipped = new Properties();
        try (InputStream in = DefaultSeccompPrograms.class.getResourceAsStream(DefaultSeccompPrograms.RESOURCE)) {
            assertThat(in).as("the build writes " + DefaultSeccompPrograms.RESOURCE).isNotNull();
            shipped.load(in);
        }
        Map<String, String> entries = new TreeMap<>();
        shipped.stringPropertyNames().forEach(name -> entries.put(name, shipped.getProperty(name)));

        assertThat(entries).isEqualTo(DefaultSeccompPrograms.generate());
        // 2 header entries, then Docker's default set, none and all, for each architecture
        assertThat(entries).hasSize(2 + 3 * SeccompArch.values().length)
                .containsEntry("minKernel", "4.8")
                .containsKeys("amd64.CAP_SYS_CHROOT", "arm64.CAP_SYS_CHROOT", "amd64.none");
    }

    @ParameterizedTest
    @EnumSource(SeccompArch.class)
    void dockerDefaultCapabilitiesArePrecompiledForEachArchitecture(SeccompArch arch) {
        byte[] program = DefaultSeccompPrograms.forBounding(Capabilities.DOCKER_DEFAULTS, arch, RECENT);

        assertThat(program).isEqualTo(compile(Capabilities.DOCKER_DEFAULTS, arch, RECENT))
                .isSameAs(DefaultSeccompPrograms.Precompiled.Shipped.INSTANCE.programs().get(arch.goName() + ".CAP_SYS_CHROOT"));
    }

    @Test
    void capabilitiesTheProfileDoesNotNameShareTheProgram() {
        Set<Capability> withNetAdmin = EnumSet.copyOf(Capabilities.DOCKER_DEFAULTS);
        withNetAdmin.add(Capability.NET_ADMIN);

        byte[] program = DefaultSeccompPrograms.forBounding(withNetAdmin, SeccompArch.X86_64, RECENT);

        assertThat(program).isSameAs(DefaultSeccompPrograms.forBounding(Capabilities.DOCKER_DEFAULTS,
                SeccompArch.X86_64, RECENT)).isEqualTo(compile(withNetAdmin, SeccompArch.X86_64, RECENT));
    }

    @Test
    void aKernelOlderThanARulesMinimumIsCompiledForThatKernel() {
        KernelVersion old = new KernelVersion(4, 4); // ptrace and process_vm_* need 4.8 in Docker's profile

        byte[] program = DefaultSeccompPrograms.forBounding(Capabilities.DOCKER_DEFAULTS, SeccompArch.X86_64, old);

        assertThat(program).isEqualTo(compile(Capabilities.DOCKER_DEFAULTS, SeccompArch.X86_64, old))
                .isNotEqualTo(compile(Capabilities.DOCKER_DEFAULTS, SeccompArch.X86_64, RECENT));
    }

    @Test
    void theDecidingCapabilitiesAreThoseTheRulesName() {
        assertThat(DefaultSeccompPrograms.decidingCaps(DOCKER)).contains("CAP_SYS_ADMIN", "CAP_SYS_CHROOT",
                "CAP_SYS_PTRACE", "CAP_BPF").doesNotContain("CAP_NET_ADMIN", "CAP_CHOWN");
        assertThat(DefaultSeccompPrograms.minKernel(DOCKER)).isEqualTo(new KernelVersion(4, 8));
    }

    /** Whatever the set, precompiled or not, the program is the compiler's for that exact set. */
    @Property(tries = 60)
    void everyBoundingSetGetsTheCompilersProgram(@ForAll("boundingSets") Set<Capability> bounding,
                                                 @ForAll SeccompArch arch) {
        assertThat(DefaultSeccompPrograms.forBounding(bounding, arch, RECENT))
                .isEqualTo(compile(bounding, arch, RECENT));
    }

    @Provide
    Arbitrary<Set<Capability>> boundingSets() {
        Arbitrary<Set<Capability>> any = Arbitraries.of(Capability.class).set();
        Arbitrary<Set<Capability>> nearDefault = Arbitraries.of(Capability.class).set().ofMaxSize(3).map(extra -> {
            Set<Capability> s = EnumSet.copyOf(Capabilities.DOCKER_DEFAULTS);
            s.addAll(extra);
            return s;
        });
        return Arbitraries.oneOf(any, nearDefault, Arbitraries.of(Capabilities.all(), Set.of()));
    }

    private static byte[] compile(Set<Capability> bounding, SeccompArch arch, KernelVersion kernel) {
        return SeccompCompiler.compile(DOCKER, arch, bounding, kernel).toBytes();
    }
}
