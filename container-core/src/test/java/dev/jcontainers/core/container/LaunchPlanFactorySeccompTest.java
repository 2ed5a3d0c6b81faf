package dev.jcontainers.core.container;

import dev.jcontainers.linux.capability.Capabilities;
import dev.jcontainers.linux.capability.Capability;
import dev.jcontainers.linux.seccomp.SeccompArch;
import dev.jcontainers.linux.seccomp.SeccompCompiler;
import dev.jcontainers.linux.seccomp.SeccompProfile;
import dev.jcontainers.oci.runtime.RuntimeSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The default profile's BPF is cached per bounding set; a profile file is still read at every call. */
class LaunchPlanFactorySeccompTest {

    @Test
    void defaultProfileIsCompiledForEachBoundingSet() {
        Set<Capability> docker = Capabilities.DOCKER_DEFAULTS;
        Set<Capability> withSysAdmin = EnumSet.copyOf(docker);
        withSysAdmin.add(Capability.SYS_ADMIN);

        byte[] first = LaunchPlanFactory.seccomp(spec(docker, Map.of())).orElseThrow();
        byte[] again = LaunchPlanFactory.seccomp(spec(docker, Map.of())).orElseThrow();
        byte[] admin = LaunchPlanFactory.seccomp(spec(withSysAdmin, Map.of())).orElseThrow();

        assertThat(again).isEqualTo(first).isEqualTo(compile(SeccompProfile.dockerDefault(), docker));
        // CAP_SYS_ADMIN opens mount, unshare, etc. in Docker's profile: a cache keyed wrongly would hand back `first`
        assertThat(admin).isEqualTo(compile(SeccompProfile.dockerDefault(), withSysAdmin)).isNotEqualTo(first);
    }

    @Test
    void profileFileIsReadAgainAtEveryStart(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("seccomp.json");
        Map<String, String> annotations = Map.of(LaunchPlanFactory.SECCOMP_ANNOTATION, file.toString());
        Files.writeString(file, "{\"defaultAction\":\"SCMP_ACT_ALLOW\"}");
        byte[] allowAll = LaunchPlanFactory.seccomp(spec(Capabilities.DOCKER_DEFAULTS, annotations)).orElseThrow();

        Files.writeString(file, "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"mkdir\"],"
                + "\"action\":\"SCMP_ACT_ERRNO\"}]}");
        byte[] denyMkdir = LaunchPlanFactory.seccomp(spec(Capabilities.DOCKER_DEFAULTS, annotations)).orElseThrow();

        assertThat(denyMkdir).isNotEqualTo(allowAll)
                .isEqualTo(compile(SeccompProfile.read(file), Capabilities.DOCKER_DEFAULTS));
    }

    private static byte[] compile(SeccompProfile profile, Set<Capability> bounding) {
        return SeccompCompiler.compile(profile, SeccompArch.current(), bounding).toBytes();
    }

    private static RuntimeSpec spec(Set<Capability> bounding, Map<String, String> annotations) {
        List<String> caps = bounding.stream().map(c -> "CAP_" + c.name()).toList();
        RuntimeSpec.Process process = new RuntimeSpec.Process(false, new RuntimeSpec.User(0, 0, null, null),
                List.of("/bin/true"), List.of(), "/", RuntimeSpec.Capabilities.of(caps), List.of(), true, null);
        return new RuntimeSpec(RuntimeSpec.VERSION, process, null, null, null, List.of(), annotations, null);
    }
}
