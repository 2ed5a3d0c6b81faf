package dev.jcontainers.linux.seccomp;

import static dev.jcontainers.linux.seccomp.Filters.ALLOW;
import static dev.jcontainers.linux.seccomp.Filters.AUDIT_ARCH_I386;
import static dev.jcontainers.linux.seccomp.Filters.ENOSYS;
import static dev.jcontainers.linux.seccomp.Filters.EPERM;
import static dev.jcontainers.linux.seccomp.Filters.KERNEL;
import static dev.jcontainers.linux.seccomp.Filters.KILL_PROCESS;
import static dev.jcontainers.linux.seccomp.Filters.errno;
import static dev.jcontainers.linux.seccomp.Filters.nr;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jcontainers.api.MalformedContentException;
import dev.jcontainers.linux.capability.Capabilities;
import dev.jcontainers.linux.capability.Capability;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

class SeccompCompilerTest {
    private static final SeccompProfile DOCKER = SeccompProfile.dockerDefault();
    private static final Set<Capability> DEFAULT_CAPS = Capabilities.DOCKER_DEFAULTS;
    private static final long CLONE_NEWUSER = 0x10000000L;
    private static final long SIGCHLD = 17;
    private static final long CLONE_THREAD_FLAGS = 0x3d0f00L; // what glibc's pthread_create passes
    private static final long AF_INET = 2;
    private static final long AF_VSOCK = 40;

    private static BpfProgram docker(SeccompArch arch, Set<Capability> caps) {
        return SeccompCompiler.compile(DOCKER, arch, caps, KERNEL);
    }

    private static int call(BpfProgram program, SeccompArch arch, String name, long... args) {
        return BpfInterpreter.run(program, arch.auditArch(), nr(arch, name), args);
    }

    @ParameterizedTest
    @EnumSource(SeccompArch.class)
    void dockerDefaultFitsWellBelowTheKernelLimitAndIsCheapPerCall(SeccompArch arch) {
        BpfProgram program = docker(arch, DEFAULT_CAPS);
        BpfProgram privileged = docker(arch, Capabilities.all());
        System.out.printf("docker default on %s: %d instructions (%d with all capabilities), read() runs %d%n",
                arch, program.length(), privileged.length(),
                BpfInterpreter.execute(program, arch.auditArch(), nr(arch, "read")).steps());

        assertThat(program.length()).isLessThan(BpfProgram.KERNEL_LIMIT / 4);
        assertThat(privileged.length()).isLessThan(BpfProgram.KERNEL_LIMIT / 4);
        // A binary search over ~100 ranges: about a dozen instructions for an allowed call, not hundreds.
        for (String name : List.of("read", "write", "futex", "epoll_pwait", "getpid", "exit_group")) {
            assertThat(BpfInterpreter.execute(program, arch.auditArch(), nr(arch, name)).steps())
                    .as(name).isLessThan(16);
        }
    }

    @ParameterizedTest
    @EnumSource(SeccompArch.class)
    void dockerDefaultAllowsOrdinaryCallsAndRefusesPrivilegedOnes(SeccompArch arch) {
        BpfProgram p = docker(arch, DEFAULT_CAPS);
        for (String name : List.of("read", "write", "openat", "execve", "exit_group", "futex", "mmap", "getpid",
                "rt_sigreturn", "chroot", "fchmodat2")) {
            assertThat(call(p, arch, name)).as(name).isEqualTo(ALLOW);
        }
        for (String name : List.of("mount", "umount2", "unshare", "setns", "keyctl", "add_key", "reboot",
                "init_module", "bpf", "perf_event_open", "kexec_load", "open_by_handle_at", "swapon",
                "pivot_root", "settimeofday", "acct")) {
            assertThat(call(p, arch, name)).as(name).isEqualTo(errno(EPERM));
        }
        assertThat(call(p, arch, "ptrace")).as("ptrace on kernels >= 4.8").isEqualTo(ALLOW);
        assertThat(call(p, arch, "clone3")).isEqualTo(errno(ENOSYS));
    }

    @ParameterizedTest
    @EnumSource(SeccompArch.class)
    void capabilitiesUnlockTheirCalls(SeccompArch arch) {
        Set<Capability> caps = EnumSet.copyOf(DEFAULT_CAPS);
        caps.add(Capability.SYS_ADMIN);
        caps.add(Capability.SYS_BOOT);
        BpfProgram p = docker(arch, caps);
        for (String name : List.of("mount", "umount2", "unshare", "setns", "clone3", "reboot", "bpf")) {
            assertThat(call(p, arch, name)).as(name).isEqualTo(ALLOW);
        }
        assertThat(call(p, arch, "clone", CLONE_NEWUSER | SIGCHLD)).isEqualTo(ALLOW);
        assertThat(call(p, arch, "init_module")).isEqualTo(errno(EPERM));

        BpfProgram ptraceOnly = docker(arch, EnumSet.of(Capability.SYS_PTRACE));
        assertThat(call(ptraceOnly, arch, "process_madvise")).isEqualTo(ALLOW);
        assertThat(call(p, arch, "process_madvise")).isEqualTo(errno(EPERM));
    }

    @ParameterizedTest
    @EnumSource(SeccompArch.class)
    void cloneIsAllowedOnlyWithoutNamespaceFlags(SeccompArch arch) {
        BpfProgram p = docker(arch, DEFAULT_CAPS);
        assertThat(call(p, arch, "clone", SIGCHLD)).isEqualTo(ALLOW);
        assertThat(call(p, arch, "clone", CLONE_THREAD_FLAGS)).isEqualTo(ALLOW);
        assertThat(call(p, arch, "clone", CLONE_NEWUSER | SIGCHLD)).isEqualTo(errno(EPERM));
        assertThat(call(p, arch, "clone", 0x20000000L /* CLONE_NEWPID */)).isEqualTo(errno(EPERM));
        // The mask is 64 bits wide: flags beyond bit 31 are not namespace flags.
        assertThat(call(p, arch, "clone", 0x1_0000_0000L | SIGCHLD)).isEqualTo(ALLOW);
    }

    @ParameterizedTest
    @EnumSource(SeccompArch.class)
    void personalityAllowsOnlyDockersValues(SeccompArch arch) {
        BpfProgram p = docker(arch, DEFAULT_CAPS);
        for (long allowed : new long[] {0, 8, 0x20000, 0x20008, 0xffffffffL}) {
            assertThat(call(p, arch, "personality", allowed)).as("personality(%x)", allowed).isEqualTo(ALLOW);
        }
        for (long refused : new long[] {0x1234, 1, 0x0400000, 0x1_0000_0000L, 0xffffffff_ffffffffL}) {
            assertThat(call(p, arch, "personality", refused)).as("personality(%x)", refused)
                    .isEqualTo(errno(EPERM));
        }
    }

    @ParameterizedTest
    @EnumSource(SeccompArch.class)
    void socketRefusesOnlyVsock(SeccompArch arch) {
        BpfProgram p = docker(arch, DEFAULT_CAPS);
        assertThat(call(p, arch, "socket", AF_INET, 1, 0)).isEqualTo(ALLOW);
        assertThat(call(p, arch, "socket", AF_VSOCK, 1, 0)).isEqualTo(errno(EPERM));
    }

    @Test
    void archSpecificRulesFollowTheTarget() {
        assertThat(call(docker(SeccompArch.X86_64, DEFAULT_CAPS), SeccompArch.X86_64, "arch_prctl"))
                .isEqualTo(ALLOW);
        assertThat(call(docker(SeccompArch.X86_64, DEFAULT_CAPS), SeccompArch.X86_64, "modify_ldt"))
                .isEqualTo(ALLOW);
        // iopl exists only on x86 and needs CAP_SYS_RAWIO.
        assertThat(call(docker(SeccompArch.X86_64, DEFAULT_CAPS), SeccompArch.X86_64, "iopl"))
                .isEqualTo(errno(EPERM));
    }

    @Test
    void minKernelDecidesPtrace() {
        BpfProgram old = SeccompCompiler.compile(DOCKER, SeccompArch.X86_64, DEFAULT_CAPS, new KernelVersion(4, 4));
        assertThat(call(old, SeccompArch.X86_64, "ptrace")).isEqualTo(errno(EPERM));
        BpfProgram oldWithCap = SeccompCompiler.compile(DOCKER, SeccompArch.X86_64,
                EnumSet.of(Capability.SYS_PTRACE), new KernelVersion(4, 4));
        assertThat(call(oldWithCap, SeccompArch.X86_64, "ptrace")).isEqualTo(ALLOW);
    }

    @Test
    void x32CallsAreRefusedOnX86_64() {
        BpfProgram p = docker(SeccompArch.X86_64, DEFAULT_CAPS);
        int x32Read = 0x40000000;
        assertThat(BpfInterpreter.run(p, SeccompArch.X86_64.auditArch(), x32Read)).isEqualTo(errno(ENOSYS));
        assertThat(BpfInterpreter.run(p, SeccompArch.X86_64.auditArch(), 0x40000000 | nr(SeccompArch.X86_64,
                "getpid"))).isEqualTo(errno(ENOSYS));
        // Even a profile that allows everything by default must not let x32 around its deny rules.
        SeccompProfile denyList = new SeccompProfile(SeccompAction.ALLOW, null, null, null, null,
                List.of(SyscallRule.of(SeccompAction.ERRNO, List.of("read"))));
        BpfProgram permissive = SeccompCompiler.compile(denyList, SeccompArch.X86_64, Set.of(), KERNEL);
        assertThat(BpfInterpreter.run(permissive, SeccompArch.X86_64.auditArch(), x32Read)).isEqualTo(errno(ENOSYS));
    }

    @ParameterizedTest
    @EnumSource(SeccompArch.class)
    void foreignArchitecturesAreKilled(SeccompArch arch) {
        BpfProgram p = docker(arch, DEFAULT_CAPS);
        SeccompArch other = arch == SeccompArch.X86_64 ? SeccompArch.AARCH64 : SeccompArch.X86_64;
        assertThat(BpfInterpreter.run(p, other.auditArch(), 0)).isEqualTo(KILL_PROCESS);
        assertThat(BpfInterpreter.run(p, AUDIT_ARCH_I386, 20)).isEqualTo(KILL_PROCESS);
    }

    @ParameterizedTest
    @EnumSource(SeccompArch.class)
    void numbersOutsideTheTableGetTheDefault(SeccompArch arch) {
        BpfProgram p = docker(arch, DEFAULT_CAPS);
        for (int n : new int[] {999, 1024, 0x3fffffff, 0x7fffffff, -1}) {
            int expected = arch.hasX32() && Integer.compareUnsigned(n, 0x40000000) >= 0 ? errno(ENOSYS) : errno(EPERM);
            assertThat(BpfInterpreter.run(p, arch.auditArch(), n)).as("nr %x", n).isEqualTo(expected);
        }
    }

    /** Every call number of the table, and the gaps between, against a direct reading of the profile. */
    @ParameterizedTest
    @EnumSource(SeccompArch.class)
    void everyCallAgreesWithTheReferenceReading(SeccompArch arch) {
        for (Set<Capability> caps : List.of(DEFAULT_CAPS, Capabilities.all(), Set.<Capability>of())) {
            BpfProgram p = docker(arch, caps);
            ReferencePolicy reference = new ReferencePolicy(DOCKER, arch, caps, KERNEL);
            for (int n = 0; n < 600; n++) {
                for (long[] args : List.of(new long[6], new long[] {CLONE_NEWUSER, 0, 0, 0, 0, 0},
                        new long[] {8, 1, 2, 3, 4, 5}, new long[] {AF_VSOCK, 1})) {
                    assertThat(BpfInterpreter.run(p, arch.auditArch(), n, args))
                            .as("%s nr %d caps %s", arch, n, caps).isEqualTo(reference.decide(n, args));
                }
            }
        }
    }

    @Test
    void comparisonsMatchTheirUnsigned64BitMeaning() {
        long[] edges = {0, 1, 2, 0x7fffffffL, 0x80000000L, 0xfffffffeL, 0xffffffffL, 0x1_0000_0000L,
                0x1_0000_0001L, 0xffffffff_00000000L, 0x7fffffff_ffffffffL, 0x80000000_00000000L, -2, -1};
        for (ComparisonOp op : ComparisonOp.values()) {
            for (long value : edges) {
                for (long valueTwo : op == ComparisonOp.MASKED_EQ ? edges : new long[] {0}) {
                    ArgCondition condition = new ArgCondition(3, value, valueTwo, op);
                    SeccompProfile profile = new SeccompProfile(SeccompAction.ERRNO, 13, null, null, null,
                            List.of(SyscallRule.of(SeccompAction.ALLOW, List.of("read"), condition)));
                    BpfProgram p = SeccompCompiler.compile(profile, SeccompArch.X86_64, Set.of(), KERNEL);
                    for (long arg : edges) {
                        int expected = op.test(arg, value, valueTwo) ? ALLOW : errno(13);
                        assertThat(BpfInterpreter.run(p, SeccompArch.X86_64.auditArch(), 0, 0, 0, 0, arg))
                                .as("%s arg=%x value=%x valueTwo=%x", op, arg, value, valueTwo)
                                .isEqualTo(expected);
                    }
                }
            }
        }
    }

    @Test
    void conditionsOfARuleAreAndedAndRulesAreTriedInOrder() {
        SeccompProfile profile = SeccompProfile.parse("""
                {"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [
                  {"names": ["write"], "action": "SCMP_ACT_ERRNO", "errnoRet": 5,
                   "args": [{"index": 0, "value": 2, "op": "SCMP_CMP_EQ"},
                            {"index": 2, "value": 100, "op": "SCMP_CMP_GT"}]},
                  {"names": ["write"], "action": "SCMP_ACT_ERRNO", "errnoRet": 6,
                   "args": [{"index": 0, "value": 2, "op": "SCMP_CMP_EQ"}]},
                  {"names": ["write"], "action": "SCMP_ACT_KILL_PROCESS",
                   "args": [{"index": 2, "value": 100, "op": "SCMP_CMP_GT"}]}
                ]}""");
        BpfProgram p = SeccompCompiler.compile(profile, SeccompArch.AARCH64, Set.of(), KERNEL);
        SeccompArch a = SeccompArch.AARCH64;
        assertThat(call(p, a, "write", 2, 0, 101)).isEqualTo(errno(5));
        assertThat(call(p, a, "write", 2, 0, 100)).isEqualTo(errno(6));
        assertThat(call(p, a, "write", 1, 0, 101)).isEqualTo(KILL_PROCESS);
        assertThat(call(p, a, "write", 1, 0, 100)).isEqualTo(ALLOW);
        assertThat(call(p, a, "read", 2, 0, 101)).isEqualTo(ALLOW);
    }

    @Test
    void anUnconditionalRuleOverridesConditionalOnesForTheSameCall() {
        SeccompProfile profile = new SeccompProfile(SeccompAction.ERRNO, null, null, null, null, List.of(
                SyscallRule.of(SeccompAction.LOG, List.of("read"), ArgCondition.of(0, ComparisonOp.EQ, 1)),
                SyscallRule.of(SeccompAction.ALLOW, List.of("read")),
                SyscallRule.of(SeccompAction.TRAP, List.of("read"), ArgCondition.of(0, ComparisonOp.EQ, 2))));
        BpfProgram p = SeccompCompiler.compile(profile, SeccompArch.X86_64, Set.of(), KERNEL);
        for (long arg : new long[] {0, 1, 2}) {
            assertThat(call(p, SeccompArch.X86_64, "read", arg)).isEqualTo(ALLOW);
        }
    }

    @Test
    void actionsMapToTheKernelReturnValues() {
        List<SyscallRule> rules = List.of(
                SyscallRule.of(SeccompAction.KILL, List.of("read")),
                SyscallRule.of(SeccompAction.KILL_THREAD, List.of("write")),
                SyscallRule.of(SeccompAction.KILL_PROCESS, List.of("open")),
                SyscallRule.of(SeccompAction.TRAP, List.of("close")),
                new SyscallRule(List.of("stat"), null, SeccompAction.TRACE, 7, null, null, null, null),
                SyscallRule.of(SeccompAction.LOG, List.of("fstat")),
                SyscallRule.of(SeccompAction.ALLOW, List.of("lstat")),
                SyscallRule.of(SeccompAction.ERRNO, List.of("poll")));
        SeccompProfile profile = new SeccompProfile(SeccompAction.ERRNO, 99, null, null, null, rules);
        BpfProgram p = SeccompCompiler.compile(profile, SeccompArch.X86_64, Set.of(), KERNEL);
        SeccompArch x = SeccompArch.X86_64;
        assertThat(call(p, x, "read")).isEqualTo(0);
        assertThat(call(p, x, "write")).isEqualTo(0);
        assertThat(call(p, x, "open")).isEqualTo(0x80000000);
        assertThat(call(p, x, "close")).isEqualTo(0x00030000);
        assertThat(call(p, x, "stat")).isEqualTo(0x7ff00007);
        assertThat(call(p, x, "fstat")).isEqualTo(0x7ffc0000);
        assertThat(call(p, x, "lstat")).isEqualTo(ALLOW);
        assertThat(call(p, x, "poll")).isEqualTo(errno(EPERM)); // ERRNO without errnoRet is EPERM
        assertThat(call(p, x, "mmap")).isEqualTo(errno(99));
    }

    @Test
    void farJumpsGetSteppingStones() {
        // Hundreds of conditional calls push the blocks far past the 255 instructions a jump can reach.
        List<SyscallRule> rules = new ArrayList<>();
        List<String> names = new ArrayList<>(SyscallTable.of(SeccompArch.X86_64).asMap().keySet());
        for (int i = 0; i < 300; i++) {
            rules.add(new SyscallRule(List.of(names.get(i)), null, SeccompAction.ERRNO, i + 1,
                    List.of(ArgCondition.of(1, ComparisonOp.GE, i)), null, null, null));
        }
        SeccompProfile profile = new SeccompProfile(SeccompAction.ALLOW, null, null, null, null, rules);
        BpfProgram p = SeccompCompiler.compile(profile, SeccompArch.X86_64, Set.of(), KERNEL);
        assertThat(p.length()).isGreaterThan(2000).isLessThan(BpfProgram.KERNEL_LIMIT);
        assertThat(p.instructions()).anyMatch(insn -> insn.code() == BpfInstruction.JA);
        for (int i = 0; i < 300; i++) {
            String name = names.get(i);
            assertThat(call(p, SeccompArch.X86_64, name, 0, i)).as(name).isEqualTo(errno(i + 1));
            if (i > 0) {
                assertThat(call(p, SeccompArch.X86_64, name, 0, i - 1)).as(name).isEqualTo(ALLOW);
            }
        }
    }

    @Test
    void notifyIsRefused() {
        SeccompProfile profile = new SeccompProfile(SeccompAction.ALLOW, null, null, null, null,
                List.of(SyscallRule.of(SeccompAction.NOTIFY, List.of("mount"))));
        assertThatThrownBy(() -> SeccompCompiler.compile(profile, SeccompArch.X86_64, Set.of(), KERNEL))
                .isInstanceOf(MalformedContentException.class).hasMessageContaining("SCMP_ACT_NOTIFY");
    }

    @Test
    void programBytesAreSockFiltersLittleEndian() {
        BpfProgram p = docker(SeccompArch.X86_64, DEFAULT_CAPS);
        byte[] bytes = p.toBytes();
        assertThat(bytes).hasSize(p.length() * 8);
        // ld [4] (seccomp_data.arch): code 0x0020, jt 0, jf 0, k 4.
        assertThat(java.util.Arrays.copyOf(bytes, 8)).containsExactly(0x20, 0, 0, 0, 4, 0, 0, 0);
        // jeq #AUDIT_ARCH_X86_64, on to the next instruction, else to a ret KILL_PROCESS.
        int jf = bytes[11] & 0xff;
        assertThat(java.util.Arrays.copyOfRange(bytes, 8, 11)).containsExactly(0x15, 0, 0);
        assertThat(java.util.Arrays.copyOfRange(bytes, 12, 16)).containsExactly(0x3e, 0, 0, 0xc0);
        assertThat(p.instructions().get(2 + jf)).isEqualTo(
                new BpfInstruction(BpfInstruction.RET_K, 0, 0, KILL_PROCESS));
        assertThat(BpfProgram.fromBytes(bytes)).isEqualTo(p);
    }
}
