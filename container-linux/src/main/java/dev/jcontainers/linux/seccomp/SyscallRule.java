package dev.jcontainers.linux.seccomp;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.ArrayList;
import java.util.List;

/**
 * One entry of a Docker profile's {@code syscalls}: the calls it names get {@code action} when all its
 * {@code args} conditions hold. {@code name} is the single-name form of old profiles. {@code includes} and
 * {@code excludes} decide at compile time whether the rule applies at all.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record SyscallRule(
        List<String> names,
        String name,
        SeccompAction action,
        Integer errnoRet,
        List<ArgCondition> args,
        String comment,
        RuleFilter includes,
        RuleFilter excludes) {

    public SyscallRule {
        names = names == null ? List.of() : List.copyOf(names);
        args = args == null ? List.of() : List.copyOf(args);
        includes = includes == null ? RuleFilter.NONE : includes;
        excludes = excludes == null ? RuleFilter.NONE : excludes;
        if (action == null) {
            throw new IllegalArgumentException("syscall rule for " + allNames(names, name) + " has no action");
        }
        if (errnoRet != null && !action.takesErrno()) {
            throw new IllegalArgumentException("errnoRet is only meaningful for SCMP_ACT_ERRNO and SCMP_ACT_TRACE, "
                    + "not " + action.jsonName());
        }
    }

    public static SyscallRule of(SeccompAction action, List<String> names, ArgCondition... args) {
        return new SyscallRule(names, null, action, null, List.of(args), null, null, null);
    }

    /** {@code names} plus {@code name}, when the old single-name form is used. */
    public List<String> allNames() {
        return allNames(names, name);
    }

    /** The kernel return value of this rule's action. */
    public int returnValue() {
        return action.returnValue(errnoRet);
    }

    private static List<String> allNames(List<String> names, String name) {
        if (name == null || name.isEmpty()) {
            return names;
        }
        List<String> all = new ArrayList<>(names);
        all.add(name);
        return all;
    }
}
