package dev.jcontainers.linux.seccomp;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * A compiled seccomp filter: the {@code struct sock_filter} array that {@code struct sock_fprog} points to
 * for {@code seccomp(SECCOMP_SET_MODE_FILTER, ...)}.
 */
public record BpfProgram(List<BpfInstruction> instructions) {
    /** {@code BPF_MAXINSNS}: the kernel refuses longer classic BPF programs. */
    public static final int KERNEL_LIMIT = 4096;

    public BpfProgram {
        instructions = List.copyOf(instructions);
        if (instructions.isEmpty() || instructions.size() > KERNEL_LIMIT) {
            throw new IllegalArgumentException("a filter has 1 to " + KERNEL_LIMIT + " instructions, not "
                    + instructions.size());
        }
    }

    public int length() {
        return instructions.size();
    }

    /**
     * The instructions as the kernel reads them, 8 bytes each: {@code u16 code, u8 jt, u8 jf, u32 k} in the
     * machine's byte order (little-endian on both supported architectures).
     */
    public byte[] toBytes() {
        ByteBuffer buf = ByteBuffer.allocate(instructions.size() * BpfInstruction.BYTES)
                .order(ByteOrder.nativeOrder());
        for (BpfInstruction insn : instructions) {
            buf.putShort((short) insn.code()).put((byte) insn.jt()).put((byte) insn.jf()).putInt(insn.k());
        }
        return buf.array();
    }

    /** Reads back what {@link #toBytes()} wrote. */
    public static BpfProgram fromBytes(byte[] bytes) {
        if (bytes.length % BpfInstruction.BYTES != 0) {
            throw new IllegalArgumentException("not a whole number of sock_filter: " + bytes.length + " bytes");
        }
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.nativeOrder());
        List<BpfInstruction> list = new ArrayList<>(bytes.length / BpfInstruction.BYTES);
        while (buf.hasRemaining()) {
            list.add(new BpfInstruction(Short.toUnsignedInt(buf.getShort()), Byte.toUnsignedInt(buf.get()),
                    Byte.toUnsignedInt(buf.get()), buf.getInt()));
        }
        return new BpfProgram(list);
    }

    /** One instruction a line, numbered: for debugging and test failure messages. */
    public String disassemble() {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < instructions.size(); i++) {
            out.append(String.format("%4d: %s%n", i, instructions.get(i)));
        }
        return out.toString();
    }
}
