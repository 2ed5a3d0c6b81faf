package dev.jcontainers.linux.seccomp;

import dev.jcontainers.api.MalformedContentException;
import dev.jcontainers.linux.capability.Capability;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Compiles a {@link SeccompProfile} into the classic BPF program the kernel runs on every system call of the
 * container, the work libseccomp does for runc. The program:
 * <ol>
 * <li>kills the process if {@code seccomp_data.arch} is not the target architecture (another ABI, such as
 * 32-bit x86 on x86_64, has other call numbers);</li>
 * <li>on x86_64, fails x32 calls (number bit 30) with ENOSYS, as a kernel without x32 support does;</li>
 * <li>finds the call's number in a binary search over number ranges that share a fate;</li>
 * <li>returns the rule's action, or for calls whose rules have argument conditions, tests those rules in
 * profile order, the first that holds deciding, and the default action when none holds.</li>
 * </ol>
 * Rules resolve at compile time as Docker resolves them: {@code includes.caps} must all be in the
 * container's capabilities, no {@code excludes.caps} may be; {@code includes/excludes.arches} are matched
 * against the target's Go name ({@code amd64}, {@code arm64}); {@code includes.minKernel} against the kernel.
 * A rule whose action is the default action is dropped, as runc does; an unconditional rule for a call
 * overrides that call's conditional rules. Names the target's table does not know are skipped, as libseccomp
 * does for calls an architecture lacks.
 */
public final class SeccompCompiler {
    /** Offsets in {@code struct seccomp_data}. */
    static final int NR_OFFSET = 0;
    static final int ARCH_OFFSET = 4;
    static final int ARGS_OFFSET = 16;
    /** {@code __X32_SYSCALL_BIT}. */
    static final int X32_SYSCALL_BIT = 0x40000000;
    static final int ENOSYS = 38;

    private static final int RET_KILL_PROCESS = SeccompAction.KILL_PROCESS.returnValue(null);
    private static final int RET_X32 = SeccompAction.ERRNO.returnValue(ENOSYS);

    private SeccompCompiler() {
    }

    /** Compiles for the running kernel's version. */
    public static BpfProgram compile(SeccompProfile profile, SeccompArch arch, Set<Capability> capabilities) {
        return compile(profile, arch, capabilities, KernelVersion.current());
    }

    /**
     * @param capabilities the container's effective (bounding) capabilities, which decide the
     *                     {@code includes.caps}/{@code excludes.caps} rules
     * @throws MalformedContentException for a profile this runtime cannot honour (SCMP_ACT_NOTIFY)
     */
    public static BpfProgram compile(SeccompProfile profile, SeccompArch arch, Set<Capability> capabilities,
            KernelVersion kernel) {
        int defaultRet = profile.defaultReturnValue();
        Map<Integer, List<Rule>> rules = resolve(profile, arch, capabilities, kernel, defaultRet);

        BpfBuilder b = new BpfBuilder();
        int kill = b.ret(RET_KILL_PROCESS);
        Map<Integer, Destination> destinations = new TreeMap<>();
        for (Map.Entry<Integer, List<Rule>> e : rules.entrySet()) {
            List<Rule> list = e.getValue();
            destinations.put(e.getKey(), list.getFirst().conditions().isEmpty()
                    ? Destination.ofReturn(list.getFirst().returnValue())
                    : Destination.ofBlock(emitConditionalBlock(b, list, defaultRet)));
        }
        List<Segment> segments = segments(destinations, Destination.ofReturn(defaultRet));
        int dispatch = emitSearch(b, segments, 0, segments.size());
        if (arch.hasX32()) {
            dispatch = b.jump(BpfInstruction.JGE_K, X32_SYSCALL_BIT, b.ret(RET_X32), dispatch);
        }
        int loadNr = b.op(BpfInstruction.LD_W_ABS, NR_OFFSET, dispatch);
        int checkArch = b.jump(BpfInstruction.JEQ_K, arch.auditArch(), loadNr, kill);
        b.op(BpfInstruction.LD_W_ABS, ARCH_OFFSET, checkArch);
        return b.build();
    }

    /** A rule reduced to what the program tests: all conditions must hold for {@code returnValue}. */
    record Rule(int returnValue, List<ArgCondition> conditions) {
    }

    /**
     * The rules that apply, by call number in number order. A call with an unconditional rule keeps only
     * the first such rule.
     */
    static Map<Integer, List<Rule>> resolve(SeccompProfile profile, SeccompArch arch,
            Collection<Capability> capabilities, KernelVersion kernel, int defaultRet) {
        Set<String> capNames = capabilities.stream().map(Capability::kernelName).collect(Collectors.toSet());
        SyscallTable table = SyscallTable.of(arch);
        Map<Integer, List<Rule>> byNumber = new TreeMap<>();
        for (SyscallRule rule : profile.syscalls()) {
            if (rule.action() == SeccompAction.NOTIFY) {
                throw new MalformedContentException("seccomp profile: SCMP_ACT_NOTIFY (for " + rule.allNames()
                        + ") needs a user-space supervisor, which this runtime does not have");
            }
            if (!applies(rule, arch, capNames, kernel) || rule.returnValue() == defaultRet) {
                continue;
            }
            Rule resolved = new Rule(rule.returnValue(), rule.args());
            for (String name : rule.allNames()) {
                OptionalInt nr = table.number(name);
                if (nr.isEmpty()) {
                    continue;
                }
                List<Rule> list = byNumber.computeIfAbsent(nr.getAsInt(), n -> new ArrayList<>());
                boolean settled = !list.isEmpty() && list.getFirst().conditions().isEmpty();
                if (settled) {
                    continue;
                }
                if (resolved.conditions().isEmpty()) {
                    list.clear();
                }
                list.add(resolved);
            }
        }
        return byNumber;
    }

    static boolean applies(SyscallRule rule, SeccompArch arch, Set<String> capNames, KernelVersion kernel) {
        RuleFilter inc = rule.includes();
        RuleFilter exc = rule.excludes();
        if (!inc.arches().isEmpty() && !inc.arches().contains(arch.goName())) {
            return false;
        }
        if (!capNames.containsAll(inc.caps())) {
            return false;
        }
        if (inc.minKernel() != null && !inc.minKernel().isEmpty()
                && kernel.compareTo(KernelVersion.parse(inc.minKernel())) < 0) {
            return false;
        }
        if (exc.arches().contains(arch.goName())) {
            return false;
        }
        return exc.caps().stream().noneMatch(capNames::contains);
    }

    /** Where the search sends a call: straight to a return, or to a block that tests arguments. */
    record Destination(boolean isReturn, int value) {
        static Destination ofReturn(int returnValue) {
            return new Destination(true, returnValue);
        }

        static Destination ofBlock(int label) {
            return new Destination(false, label);
        }

        int label(BpfBuilder b) {
            return isReturn ? b.ret(value) : value;
        }
    }

    /** Call numbers from {@code start} (unsigned) up to the next segment's start go to {@code destination}. */
    record Segment(long start, Destination destination) {
    }

    /** Cuts the 32-bit number space into runs of consecutive numbers with the same destination. */
    static List<Segment> segments(Map<Integer, Destination> destinations, Destination fallback) {
        List<Segment> segments = new ArrayList<>();
        segments.add(new Segment(0, fallback));
        long cursor = 0;
        for (Map.Entry<Integer, Destination> e : destinations.entrySet()) {
            long nr = Integer.toUnsignedLong(e.getKey());
            if (nr > cursor) {
                append(segments, cursor, fallback);
            }
            append(segments, nr, e.getValue());
            cursor = nr + 1;
        }
        if (cursor <= 0xffffffffL) {
            append(segments, cursor, fallback);
        }
        return segments;
    }

    private static void append(List<Segment> segments, long start, Destination destination) {
        if (!segments.getLast().destination().equals(destination)) {
            segments.add(new Segment(start, destination));
        }
    }

    /** A balanced tree of {@code jge} over the segment starts; a single segment is its destination. */
    private static int emitSearch(BpfBuilder b, List<Segment> segments, int from, int to) {
        if (to - from == 1) {
            return segments.get(from).destination().label(b);
        }
        int mid = (from + to) >>> 1;
        int upper = emitSearch(b, segments, mid, to);
        int lower = emitSearch(b, segments, from, mid);
        return b.jump(BpfInstruction.JGE_K, (int) segments.get(mid).start(), upper, lower);
    }

    /** The rules of one call in order, each falling to the next when a condition fails, then the default. */
    private static int emitConditionalBlock(BpfBuilder b, List<Rule> rules, int defaultRet) {
        int next = b.ret(defaultRet);
        for (Rule rule : rules.reversed()) {
            int entry = b.ret(rule.returnValue());
            for (ArgCondition c : rule.conditions().reversed()) {
                entry = emitCondition(b, c, entry, next);
            }
            next = entry;
        }
        return next;
    }

    /**
     * One 64-bit comparison from two 32-bit halves (little-endian: low word first). The high words decide
     * unless they are equal; then the low words do.
     */
    private static int emitCondition(BpfBuilder b, ArgCondition c, int pass, int fail) {
        int loOffset = ARGS_OFFSET + 8 * c.index();
        int hiOffset = loOffset + 4;
        int vLo = (int) c.value();
        int vHi = (int) (c.value() >>> 32);
        int lo;
        int hi;
        switch (c.op()) {
            case EQ -> {
                lo = b.jump(BpfInstruction.JEQ_K, vLo, pass, fail);
                hi = b.jump(BpfInstruction.JEQ_K, vHi, b.op(BpfInstruction.LD_W_ABS, loOffset, lo), fail);
            }
            case NE -> {
                lo = b.jump(BpfInstruction.JEQ_K, vLo, fail, pass);
                hi = b.jump(BpfInstruction.JEQ_K, vHi, b.op(BpfInstruction.LD_W_ABS, loOffset, lo), pass);
            }
            case MASKED_EQ -> {
                int wantLo = (int) c.valueTwo();
                int wantHi = (int) (c.valueTwo() >>> 32);
                lo = b.jump(BpfInstruction.JEQ_K, wantLo, pass, fail);
                lo = b.op(BpfInstruction.ALU_AND_K, vLo, lo);
                hi = b.jump(BpfInstruction.JEQ_K, wantHi, b.op(BpfInstruction.LD_W_ABS, loOffset, lo), fail);
                hi = b.op(BpfInstruction.ALU_AND_K, vHi, hi);
            }
            case GT, GE -> {
                int loCode = c.op() == ComparisonOp.GT ? BpfInstruction.JGT_K : BpfInstruction.JGE_K;
                lo = b.jump(loCode, vLo, pass, fail);
                hi = b.jump(BpfInstruction.JEQ_K, vHi, b.op(BpfInstruction.LD_W_ABS, loOffset, lo), fail);
                hi = b.jump(BpfInstruction.JGT_K, vHi, pass, hi);
            }
            case LT, LE -> {
                // arg < v is not(arg >= v); arg <= v is not(arg > v): the same tests with the exits swapped.
                int loCode = c.op() == ComparisonOp.LT ? BpfInstruction.JGE_K : BpfInstruction.JGT_K;
                lo = b.jump(loCode, vLo, fail, pass);
                hi = b.jump(BpfInstruction.JEQ_K, vHi, b.op(BpfInstruction.LD_W_ABS, loOffset, lo), pass);
                hi = b.jump(BpfInstruction.JGT_K, vHi, fail, hi);
            }
            default -> throw new IllegalStateException("unhandled comparison " + c.op());
        }
        return b.op(BpfInstruction.LD_W_ABS, hiOffset, hi);
    }
}
