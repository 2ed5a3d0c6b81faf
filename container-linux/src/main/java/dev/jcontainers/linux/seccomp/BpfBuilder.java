package dev.jcontainers.linux.seccomp;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds a classic BPF program back to front. Every jump target is then already in place, so a jump's
 * offset is known when the jump is written, and a target beyond the 255 instructions a conditional jump
 * can reach gets a stepping stone right before the jump: a copy of the target when it is a return, an
 * unconditional {@code ja} (32-bit offset) otherwise.
 *
 * <p>A label is the position of an instruction counted from the end of the program (the last is 0);
 * prepending never changes it.
 */
final class BpfBuilder {
    private final List<BpfInstruction> reversed = new ArrayList<>();
    private final Map<Integer, Integer> returns = new HashMap<>();

    /** The label of the instruction a new one would fall through to: the one prepended last. */
    int next() {
        if (reversed.isEmpty()) {
            throw new IllegalStateException("nothing to fall through to");
        }
        return reversed.size() - 1;
    }

    /** A {@code ret} of {@code value}, shared with earlier identical returns. */
    int ret(int value) {
        Integer label = returns.get(value);
        if (label == null) {
            label = prepend(new BpfInstruction(BpfInstruction.RET_K, 0, 0, value));
            returns.put(value, label);
        }
        return label;
    }

    /** A non-jumping instruction that continues at {@code then}. */
    int op(int code, int k, int then) {
        reach(then);
        return prepend(new BpfInstruction(code, 0, 0, k));
    }

    /** A conditional jump: to {@code ifTrue} when the comparison of A with {@code k} holds, else {@code ifFalse}. */
    int jump(int code, int k, int ifTrue, int ifFalse) {
        while (true) {
            if (offsetTo(ifTrue) > BpfInstruction.MAX_JUMP) {
                ifTrue = steppingStone(ifTrue);
            } else if (offsetTo(ifFalse) > BpfInstruction.MAX_JUMP) {
                ifFalse = steppingStone(ifFalse);
            } else {
                return prepend(new BpfInstruction(code, offsetTo(ifTrue), offsetTo(ifFalse), k));
            }
        }
    }

    int size() {
        return reversed.size();
    }

    BpfProgram build() {
        return new BpfProgram(reversed.reversed());
    }

    /** Makes {@code target} the next instruction, with a {@code ja} if it is not already. */
    private void reach(int target) {
        if (target != reversed.size() - 1) {
            prepend(new BpfInstruction(BpfInstruction.JA, 0, 0, offsetTo(target)));
        }
    }

    private int steppingStone(int target) {
        BpfInstruction at = reversed.get(target);
        if (at.isReturn()) {
            // A copy of a return is as short as a jump to it, and one jump fewer at run time.
            int copy = prepend(at);
            returns.put(at.k(), copy);
            return copy;
        }
        return prepend(new BpfInstruction(BpfInstruction.JA, 0, 0, offsetTo(target)));
    }

    /** The offset a jump written now would need to reach {@code target}. */
    private int offsetTo(int target) {
        if (target < 0 || target >= reversed.size()) {
            throw new IllegalArgumentException("no instruction at label " + target);
        }
        return reversed.size() - 1 - target;
    }

    private int prepend(BpfInstruction insn) {
        reversed.add(insn);
        return reversed.size() - 1;
    }
}
