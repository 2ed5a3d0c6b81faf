package dev.jcontainers.linux.seccomp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jcontainers.linux.capability.Capabilities;
import dev.jcontainers.linux.capability.Capability;
import dev.jcontainers.testkit.ExternalProcess;
import dev.jcontainers.testkit.Requirements;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Loads compiled filters into the real kernel: {@code src/test/c/seccomp_probe.c} installs the bytes with
 * {@code seccomp(SECCOMP_SET_MODE_FILTER)} after {@code PR_SET_NO_NEW_PRIVS} (no root needed), makes the
 * calls it is told and prints the errno of each.
 */
class SeccompKernelTest {
    private static final Path SOURCE = Path.of("src/test/c/seccomp_probe.c");
    private static final int EPERM = 1;
    private static final int ENOENT = 2;
    private static final int EBADF = 9;
    private static final int EINVAL = 22;
    private static final int ENOSYS = 38;
    private static final int SIGSYS = 31;

    private static Path dir;
    private static Path probe;
    private static SeccompArch arch;

    @BeforeAll
    static void buildProbe() throws IOException {
        Path gcc = Requirements.requireTool("gcc");
        Requirements.require(Files.readString(Path.of("/proc/self/status")).contains("\nSeccomp_filters:"),
                "the kernel has no seccomp filter support");
        arch = SeccompArch.current();
        dir = Files.createTempDirectory("jc-seccomp");
        probe = dir.resolve("seccomp_probe");
        ExternalProcess.check(Duration.ofSeconds(60), List.of(gcc.toString(), "-std=c11", "-Wall", "-Wextra",
                "-Werror", "-o", probe.toString(), SOURCE.toAbsolutePath().toString()));
    }

    @AfterAll
    static void removeProbe() throws IOException {
        if (dir == null) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    @Test
    void dockerDefaultRefusesWhatDockerRefuses() throws IOException {
        Map<String, Integer> errno = run(dockerDefault(Capabilities.DOCKER_DEFAULTS), "getpid", "mount",
                "unshare_user", "clone3", "keyctl", "personality_query", "personality_0x1234");
        assertThat(errno).containsExactly(
                Map.entry("getpid", 0),
                Map.entry("mount", EPERM),
                Map.entry("unshare_user", EPERM),
                Map.entry("clone3", ENOSYS),
                Map.entry("keyctl", EPERM),
                Map.entry("personality_query", 0),
                Map.entry("personality_0x1234", EPERM));
    }

    @Test
    void withoutTheFilterTheKernelAnswersDifferently() throws IOException {
        // clone3 with a zero size is EINVAL from the kernel itself: the ENOSYS above is the filter's doing.
        assertThat(runUnfiltered("getpid", "clone3")).containsExactly(Map.entry("getpid", 0),
                Map.entry("clone3", EINVAL));
    }

    @Test
    void capSysAdminLetsTheCallsThrough() throws IOException {
        Set<Capability> caps = EnumSet.copyOf(Capabilities.DOCKER_DEFAULTS);
        caps.add(Capability.SYS_ADMIN);
        Map<String, Integer> errno = run(dockerDefault(caps), "clone3", "mount");
        assertThat(errno.get("clone3")).as("clone3 reaches the kernel").isEqualTo(EINVAL);
        // The kernel itself refuses mount to a non-root process; as root it fails on the missing target.
        assertThat(errno.get("mount")).isEqualTo(Requirements.isRoot() ? ENOENT : EPERM);
    }

    @Test
    void aForeignAbiKillsTheProcess() throws IOException {
        Requirements.require(arch == SeccompArch.X86_64, "the 32-bit entry is tried on x86_64 only");
        Requirements.require(runUnfiltered("int80_getpid").get("int80_getpid") == 0,
                "this kernel has no 32-bit x86 emulation");
        ExternalProcess.Result result = exec(dockerDefault(Capabilities.DOCKER_DEFAULTS), "getpid", "int80_getpid");
        assertThat(result.exitCode()).as("killed by SIGSYS").isEqualTo(128 + SIGSYS);
        assertThat(result.stdout()).isEqualTo("getpid=0\n");
    }

    @Test
    void aDockerProfileFileWithCustomRules() throws IOException {
        Path file = dir.resolve("custom.json");
        Files.writeString(file, """
                {
                  "defaultAction": "SCMP_ACT_ALLOW",
                  "architectures": ["SCMP_ARCH_X86_64", "SCMP_ARCH_AARCH64"],
                  "syscalls": [
                    {"names": ["getppid"], "action": "SCMP_ACT_ERRNO", "errnoRet": 77},
                    {"names": ["dup"], "action": "SCMP_ACT_ERRNO", "errnoRet": 42,
                     "args": [{"index": 0, "value": 1000, "op": "SCMP_CMP_EQ"}]},
                    {"names": ["no_such_call"], "action": "SCMP_ACT_KILL"}
                  ]
                }
                """);
        SeccompProfile profile = SeccompProfile.forSecurityOpt(file.toString()).orElseThrow();
        BpfProgram program = SeccompCompiler.compile(profile, arch, Capabilities.DOCKER_DEFAULTS);
        assertThat(run(program, "getpid", "getppid", "dup_1000", "dup_1001")).containsExactly(
                Map.entry("getpid", 0),
                Map.entry("getppid", 77),
                Map.entry("dup_1000", 42),
                Map.entry("dup_1001", EBADF));
    }

    private static BpfProgram dockerDefault(Set<Capability> caps) {
        return SeccompCompiler.compile(SeccompProfile.dockerDefault(), arch, caps);
    }

    private static Map<String, Integer> run(BpfProgram program, String... calls) throws IOException {
        return parse(check(exec(program, calls)));
    }

    private static Map<String, Integer> runUnfiltered(String... calls) {
        List<String> command = new ArrayList<>(List.of(probe.toString(), "-"));
        command.addAll(List.of(calls));
        return parse(check(ExternalProcess.run(Duration.ofSeconds(10), command)));
    }

    private static ExternalProcess.Result exec(BpfProgram program, String... calls) throws IOException {
        Path filter = Files.createTempFile(dir, "filter", ".bpf");
        Files.write(filter, program.toBytes());
        List<String> command = new ArrayList<>(List.of(probe.toString(), filter.toString()));
        command.addAll(List.of(calls));
        return ExternalProcess.run(Duration.ofSeconds(10), command);
    }

    private static ExternalProcess.Result check(ExternalProcess.Result result) {
        assertThat(result.exitCode()).as("probe exit, stderr: %s", result.stderr()).isZero();
        return result;
    }

    private static Map<String, Integer> parse(ExternalProcess.Result result) {
        Map<String, Integer> errno = new LinkedHashMap<>();
        for (String line : result.stdout().split("\n")) {
            if (!line.isBlank()) {
                int eq = line.indexOf('=');
                errno.put(line.substring(0, eq), Integer.parseInt(line.substring(eq + 1)));
            }
        }
        return errno;
    }
}
