package dev.jcontainers.linux.seccomp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jcontainers.api.MalformedContentException;
import dev.jcontainers.testkit.Requirements;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

class SeccompProfileTest {
    @Test
    void dockerDefaultHasDockersShape() {
        SeccompProfile p = SeccompProfile.dockerDefault();
        assertThat(p.defaultAction()).isEqualTo(SeccompAction.ERRNO);
        assertThat(p.defaultErrnoRet()).isEqualTo(1);
        assertThat(p.archMap()).extracting(ArchMapEntry::architecture)
                .containsExactly("SCMP_ARCH_X86_64", "SCMP_ARCH_AARCH64");
        assertThat(p.archMap().getFirst().subArchitectures()).containsExactly("SCMP_ARCH_X86", "SCMP_ARCH_X32");
        List<String> allowed = p.syscalls().getFirst().names();
        assertThat(allowed).hasSizeGreaterThan(350).contains("read", "write", "execve", "io_uring_setup")
                .doesNotContain("mount", "keyctl", "add_key", "request_key", "unshare", "ptrace", "kexec_load")
                .doesNotHaveDuplicates();
        SyscallRule clone3 = p.syscalls().stream().filter(r -> r.names().equals(List.of("clone3"))).findFirst()
                .orElseThrow();
        assertThat(clone3.returnValue()).isEqualTo(0x00050000 | 38);
        assertThat(clone3.excludes().caps()).containsExactly("CAP_SYS_ADMIN");
    }

    @Test
    void everyNameInTheDefaultProfileIsARealCall() throws IOException {
        // A misspelt name would silently allow nothing, as unknown names are skipped. Names missing from
        // both 64-bit tables must be calls of the 32-bit ABIs (i386 from its header, arm listed here).
        Path i386Header = Requirements.requireFile(Path.of("/usr/include/x86_64-linux-gnu/asm/unistd_32.h"));
        Set<String> i386 = Files.readAllLines(i386Header).stream().filter(l -> l.startsWith("#define __NR_"))
                .map(l -> l.split("\\s+")[1].substring("__NR_".length())).collect(Collectors.toSet());
        Set<String> arm32 = Set.of("arm_fadvise64_64", "arm_sync_file_range", "breakpoint", "cacheflush", "recv",
                "send", "set_tls", "sync_file_range2");
        for (SyscallRule rule : SeccompProfile.dockerDefault().syscalls()) {
            for (String name : rule.allNames()) {
                boolean known = SyscallTable.of(SeccompArch.X86_64).number(name).isPresent()
                        || SyscallTable.of(SeccompArch.AARCH64).number(name).isPresent()
                        || i386.contains(name) || arm32.contains(name);
                assertThat(known).as(name).isTrue();
            }
        }
    }

    @Test
    void parsesDockerFormatIgnoringUnknownFields() {
        SeccompProfile p = SeccompProfile.parse("""
                {"defaultAction": "SCMP_ACT_KILL_PROCESS", "listenerPath": "/run/x.sock",
                 "flags": ["SECCOMP_FILTER_FLAG_LOG"],
                 "syscalls": [
                   {"name": "read", "action": "SCMP_ACT_ALLOW"},
                   {"names": ["ioctl"], "action": "SCMP_ACT_ALLOW", "comment": "tty only",
                    "args": [{"index": 1, "value": 18446744073709551615, "valueTwo": 9223372036854775808,
                              "op": "SCMP_CMP_MASKED_EQ"}]}
                 ]}""");
        assertThat(p.defaultAction()).isEqualTo(SeccompAction.KILL_PROCESS);
        assertThat(p.flags()).containsExactly("SECCOMP_FILTER_FLAG_LOG");
        assertThat(p.syscalls().getFirst().allNames()).containsExactly("read");
        ArgCondition arg = p.syscalls().get(1).args().getFirst();
        assertThat(arg).isEqualTo(new ArgCondition(1, -1L, Long.MIN_VALUE, ComparisonOp.MASKED_EQ));
    }

    @Test
    void roundTripsThroughJson() {
        SeccompProfile p = SeccompProfile.dockerDefault();
        assertThat(SeccompProfile.parse(p.toJson())).isEqualTo(p);
    }

    @Test
    void rejectsWhatDockerRejects() {
        assertThatThrownBy(() -> SeccompProfile.parse("{\"syscalls\": []}"))
                .isInstanceOf(MalformedContentException.class).hasMessageContaining("defaultAction");
        assertThatThrownBy(() -> SeccompProfile.parse("{\"defaultAction\": \"SCMP_ACT_MAYBE\"}"))
                .isInstanceOf(MalformedContentException.class).hasMessageContaining("SCMP_ACT_MAYBE");
        assertThatThrownBy(() -> SeccompProfile.parse("""
                {"defaultAction": "SCMP_ACT_ERRNO",
                 "syscalls": [{"names": ["read"], "action": "SCMP_ACT_ALLOW", "errnoRet": 5}]}"""))
                .isInstanceOf(MalformedContentException.class).hasMessageContaining("errnoRet");
        assertThatThrownBy(() -> SeccompProfile.parse("""
                {"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [{"names": ["read"], "action": "SCMP_ACT_ALLOW",
                 "args": [{"index": 6, "value": 1, "op": "SCMP_CMP_EQ"}]}]}"""))
                .isInstanceOf(MalformedContentException.class).hasMessageContaining("index");
        assertThatThrownBy(() -> SeccompProfile.parse("""
                {"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [{"names": ["read"], "action": "SCMP_ACT_ALLOW",
                 "args": [{"index": 0, "value": -1, "op": "SCMP_CMP_EQ"}]}]}"""))
                .isInstanceOf(MalformedContentException.class);
        assertThatThrownBy(() -> SeccompProfile.parse("not json")).isInstanceOf(MalformedContentException.class);
    }

    @Test
    void securityOptValues() {
        assertThat(SeccompProfile.forSecurityOpt("unconfined")).isEmpty();
        assertThat(SeccompProfile.forSecurityOpt("builtin")).contains(SeccompProfile.dockerDefault());
        assertThatThrownBy(() -> SeccompProfile.forSecurityOpt("/nonexistent/profile.json"))
                .hasMessageContaining("/nonexistent/profile.json");
    }

    @Test
    void kernelVersions() {
        assertThat(KernelVersion.parse("6.18.44-fc-v669")).isEqualTo(new KernelVersion(6, 18));
        assertThat(KernelVersion.parse("4.8")).isLessThan(new KernelVersion(4, 10));
        assertThat(KernelVersion.current().major()).isGreaterThanOrEqualTo(3);
    }
}
