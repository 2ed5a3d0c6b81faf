package dev.jcontainers.linux.seccomp;

/**
 * One classic BPF instruction ({@code struct sock_filter}): a 16-bit opcode, two 8-bit forward jump offsets
 * counted from the next instruction, and a 32-bit operand.
 */
public record BpfInstruction(int code, int jt, int jf, int k) {
    /** Size of {@code struct sock_filter}. */
    public static final int BYTES = 8;
    /** The largest offset a conditional jump can encode. */
    public static final int MAX_JUMP = 255;

    // Opcodes from linux/filter.h and linux/bpf_common.h, combined as seccomp filters use them.
    /** {@code BPF_LD | BPF_W | BPF_ABS}: A = 32-bit word of seccomp_data at offset k. */
    public static final int LD_W_ABS = 0x20;
    /** {@code BPF_ALU | BPF_AND | BPF_K}: A &= k. */
    public static final int ALU_AND_K = 0x54;
    /** {@code BPF_JMP | BPF_JA}: jump forward by k. */
    public static final int JA = 0x05;
    /** {@code BPF_JMP | BPF_JEQ | BPF_K}: A == k. */
    public static final int JEQ_K = 0x15;
    /** {@code BPF_JMP | BPF_JGT | BPF_K}: A > k, unsigned. */
    public static final int JGT_K = 0x25;
    /** {@code BPF_JMP | BPF_JGE | BPF_K}: A >= k, unsigned. */
    public static final int JGE_K = 0x35;
    /** {@code BPF_RET | BPF_K}: return k. */
    public static final int RET_K = 0x06;

    public BpfInstruction {
        if (code < 0 || code > 0xffff || jt < 0 || jt > MAX_JUMP || jf < 0 || jf > MAX_JUMP) {
            throw new IllegalArgumentException("not a sock_filter: code=" + code + " jt=" + jt + " jf=" + jf);
        }
    }

    public boolean isReturn() {
        return code == RET_K;
    }

    @Override
    public String toString() {
        return switch (code) {
            case LD_W_ABS -> "ld [" + k + "]";
            case ALU_AND_K -> "and #0x" + Integer.toHexString(k);
            case JA -> "ja +" + Integer.toUnsignedString(k);
            case JEQ_K -> "jeq #0x" + Integer.toHexString(k) + " +" + jt + " +" + jf;
            case JGT_K -> "jgt #0x" + Integer.toHexString(k) + " +" + jt + " +" + jf;
            case JGE_K -> "jge #0x" + Integer.toHexString(k) + " +" + jt + " +" + jf;
            case RET_K -> "ret #0x" + Integer.toHexString(k);
            default -> String.format("code=0x%x jt=%d jf=%d k=0x%x", code, jt, jf, k);
        };
    }
}
