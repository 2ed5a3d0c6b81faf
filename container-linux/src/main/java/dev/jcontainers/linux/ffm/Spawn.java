package dev.jcontainers.linux.ffm;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/**
 * {@code <spawn.h>}: glibc's {@code posix_spawn} uses {@code clone(CLONE_VM|CLONE_VFORK)} and runs only
 * async-signal-safe code before {@code execve}, so unlike {@code fork} it is safe in a multithreaded JVM.
 * All functions return an error number instead of setting errno.
 */
public final class Spawn {
    private Spawn() {
    }

    public static final short POSIX_SPAWN_RESETIDS = 0x01;
    public static final short POSIX_SPAWN_SETPGROUP = 0x02;
    public static final short POSIX_SPAWN_SETSIGDEF = 0x04;
    public static final short POSIX_SPAWN_SETSIGMASK = 0x08;
    public static final short POSIX_SPAWN_SETSID = 0x80;

    /** {@code posix_spawn_file_actions_t}: glibc-private fields, laid out as glibc declares them. */
    public static final MemoryLayout POSIX_SPAWN_FILE_ACTIONS_T = MemoryLayout.structLayout(
            JAVA_INT.withName("__allocated"),
            JAVA_INT.withName("__used"),
            Native.C_POINTER.withName("__actions"),
            MemoryLayout.sequenceLayout(16, JAVA_INT).withName("__pad"));

    /** {@code posix_spawnattr_t}. */
    public static final MemoryLayout POSIX_SPAWNATTR_T = MemoryLayout.structLayout(
            JAVA_SHORT.withName("__flags"),
            MemoryLayout.paddingLayout(2),
            JAVA_INT.withName("__pgrp"),
            Signals.SIGSET_T.withName("__sd"),
            Signals.SIGSET_T.withName("__ss"),
            JAVA_INT.withName("__sp"),
            JAVA_INT.withName("__policy"),
            MemoryLayout.sequenceLayout(16, JAVA_INT).withName("__pad"));

    // in the shape every raw system call is linked in (Native.wordCall): the family links nothing of its own
    private static final MethodHandle POSIX_SPAWN = Native.wordCall("posix_spawn");
    private static final MethodHandle FILE_ACTIONS_INIT = Native.wordCall("posix_spawn_file_actions_init");
    private static final MethodHandle FILE_ACTIONS_DESTROY = Native.wordCall("posix_spawn_file_actions_destroy");
    private static final MethodHandle FILE_ACTIONS_ADDDUP2 = Native.wordCall("posix_spawn_file_actions_adddup2");
    private static final MethodHandle ATTR_INIT = Native.wordCall("posix_spawnattr_init");
    private static final MethodHandle ATTR_DESTROY = Native.wordCall("posix_spawnattr_destroy");
    private static final MethodHandle ATTR_SETFLAGS = Native.wordCall("posix_spawnattr_setflags");
    private static final MethodHandle ATTR_SETSIGMASK = Native.wordCall("posix_spawnattr_setsigmask");
    private static final MethodHandle ATTR_SETSIGDEFAULT = Native.wordCall("posix_spawnattr_setsigdefault");
    private static final MethodHandle ATTR_SETPGROUP = Native.wordCall("posix_spawnattr_setpgroup");

    /** {@code posix_spawn} into the int of {@code pid}; argv and envp are NULL-terminated pointer arrays. */
    public static int posix_spawn(MemorySegment pid, MemorySegment path, MemorySegment fileActions,
            MemorySegment attr, MemorySegment argv, MemorySegment envp) {
        return (int) Native.callWords(POSIX_SPAWN, pid.address(), path.address(), fileActions.address(),
                attr.address(), argv.address(), envp.address());
    }

    public static int posix_spawn_file_actions_init(MemorySegment fileActions) {
        return call(FILE_ACTIONS_INIT, fileActions.address());
    }

    public static int posix_spawn_file_actions_destroy(MemorySegment fileActions) {
        return call(FILE_ACTIONS_DESTROY, fileActions.address());
    }

    public static int posix_spawn_file_actions_adddup2(MemorySegment fileActions, int fd, int newFd) {
        return (int) Native.callWords(FILE_ACTIONS_ADDDUP2, fileActions.address(), fd, newFd, 0, 0, 0);
    }

    public static int posix_spawnattr_init(MemorySegment attr) {
        return call(ATTR_INIT, attr.address());
    }

    public static int posix_spawnattr_destroy(MemorySegment attr) {
        return call(ATTR_DESTROY, attr.address());
    }

    public static int posix_spawnattr_setflags(MemorySegment attr, short flags) {
        return call(ATTR_SETFLAGS, attr.address(), flags);
    }

    public static int posix_spawnattr_setsigmask(MemorySegment attr, MemorySegment sigmask) {
        return call(ATTR_SETSIGMASK, attr.address(), sigmask.address());
    }

    public static int posix_spawnattr_setsigdefault(MemorySegment attr, MemorySegment sigdefault) {
        return call(ATTR_SETSIGDEFAULT, attr.address(), sigdefault.address());
    }

    public static int posix_spawnattr_setpgroup(MemorySegment attr, int pgroup) {
        return call(ATTR_SETPGROUP, attr.address(), pgroup);
    }

    private static int call(MethodHandle function, long a1) {
        return (int) Native.callWords(function, a1, 0, 0, 0, 0, 0);
    }

    private static int call(MethodHandle function, long a1, long a2) {
        return (int) Native.callWords(function, a1, a2, 0, 0, 0, 0);
    }

    /** Throws {@link LinuxException} when a spawn function returned a non-zero error number. */
    public static void check(String call, String subject, int result) {
        if (result != 0) {
            throw new LinuxException(call, subject, result);
        }
    }
}
