package dev.jcontainers.linux.seccomp;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/**
 * Runs a seccomp filter on one {@code struct seccomp_data} the way the kernel's classic BPF interpreter does,
 * for the opcodes seccomp filters use, and refuses anything the kernel's checker would refuse (jumps out of
 * the program, loads outside seccomp_data, falling off the end).
 */
final class BpfInterpreter {
    /** {@code sizeof(struct seccomp_data)}. */
    private static final int DATA_SIZE = 64;

    private BpfInterpreter() {
    }

    /** What the filter returned, and how many instructions it ran to get there (the cost of one call). */
    record Outcome(int action, int steps) {
    }

    static int run(BpfProgram program, int arch, int nr, long... args) {
        return execute(program, arch, nr, args).action();
    }

    static Outcome execute(BpfProgram program, int arch, int nr, long... args) {
        byte[] data = seccompData(arch, nr, args);
        List<BpfInstruction> insns = program.instructions();
        int a = 0;
        int pc = 0;
        int steps = 0;
        while (true) {
            if (pc >= insns.size()) {
                throw new AssertionError("ran off the end of the program");
            }
            BpfInstruction insn = insns.get(pc++);
            steps++;
            switch (insn.code()) {
                case BpfInstruction.LD_W_ABS -> a = load(data, insn.k());
                case BpfInstruction.ALU_AND_K -> a &= insn.k();
                case BpfInstruction.JA -> pc = target(insns, pc, Integer.toUnsignedLong(insn.k()));
                case BpfInstruction.JEQ_K -> pc = target(insns, pc, a == insn.k() ? insn.jt() : insn.jf());
                case BpfInstruction.JGT_K ->
                        pc = target(insns, pc, Integer.compareUnsigned(a, insn.k()) > 0 ? insn.jt() : insn.jf());
                case BpfInstruction.JGE_K ->
                        pc = target(insns, pc, Integer.compareUnsigned(a, insn.k()) >= 0 ? insn.jt() : insn.jf());
                case BpfInstruction.RET_K -> {
                    return new Outcome(insn.k(), steps);
                }
                default -> throw new AssertionError("opcode the compiler should not emit: " + insn);
            }
        }
    }

    private static int target(List<BpfInstruction> insns, int pc, long offset) {
        long to = pc + offset;
        if (to >= insns.size()) {
            throw new AssertionError("jump beyond the program: " + to + " of " + insns.size());
        }
        return (int) to;
    }

    private static int load(byte[] data, int offset) {
        if (offset < 0 || offset > DATA_SIZE - 4 || offset % 4 != 0) {
            throw new AssertionError("load outside seccomp_data: " + offset);
        }
        return (data[offset] & 0xff) | (data[offset + 1] & 0xff) << 8 | (data[offset + 2] & 0xff) << 16
                | (data[offset + 3] & 0xff) << 24;
    }

    /** nr, arch, instruction_pointer, args[6], little-endian. */
    private static byte[] seccompData(int arch, int nr, long... args) {
        if (args.length > 6) {
            throw new IllegalArgumentException("at most 6 arguments");
        }
        ByteBuffer buf = ByteBuffer.allocate(DATA_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        buf.putInt(nr).putInt(arch).putLong(0x7f0000001000L);
        for (long arg : args) {
            buf.putLong(arg);
        }
        return buf.array();
    }
}
