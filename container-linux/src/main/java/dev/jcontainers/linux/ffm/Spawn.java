package dev.jcontainers.linux.ffm;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemoryLayout;
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

    private static final FunctionDescriptor INT_PTR = FunctionDescriptor.of(Native.C_INT, Native.C_POINTER);

    public static final MethodHandle posix_spawn = Native.downcallNoErrno("posix_spawn", FunctionDescriptor.of(
            Native.C_INT, Native.C_POINTER, Native.C_POINTER, Native.C_POINTER, Native.C_POINTER,
            Native.C_POINTER, Native.C_POINTER));
    public static final MethodHandle posix_spawn_file_actions_init =
            Native.downcallNoErrno("posix_spawn_file_actions_init", INT_PTR);
    public static final MethodHandle posix_spawn_file_actions_destroy =
            Native.downcallNoErrno("posix_spawn_file_actions_destroy", INT_PTR);
    public static final MethodHandle posix_spawn_file_actions_adddup2 = Native.downcallNoErrno(
            "posix_spawn_file_actions_adddup2",
            FunctionDescriptor.of(Native.C_INT, Native.C_POINTER, Native.C_INT, Native.C_INT));
    public static final MethodHandle posix_spawn_file_actions_addopen = Native.downcallNoErrno(
            "posix_spawn_file_actions_addopen", FunctionDescriptor.of(Native.C_INT, Native.C_POINTER,
                    Native.C_INT, Native.C_POINTER, Native.C_INT, Native.C_UINT));
    public static final MethodHandle posix_spawnattr_init = Native.downcallNoErrno("posix_spawnattr_init", INT_PTR);
    public static final MethodHandle posix_spawnattr_destroy =
            Native.downcallNoErrno("posix_spawnattr_destroy", INT_PTR);
    public static final MethodHandle posix_spawnattr_setflags = Native.downcallNoErrno("posix_spawnattr_setflags",
            FunctionDescriptor.of(Native.C_INT, Native.C_POINTER, JAVA_SHORT));
    public static final MethodHandle posix_spawnattr_setsigmask = Native.downcallNoErrno(
            "posix_spawnattr_setsigmask", FunctionDescriptor.of(Native.C_INT, Native.C_POINTER, Native.C_POINTER));
    public static final MethodHandle posix_spawnattr_setsigdefault = Native.downcallNoErrno(
            "posix_spawnattr_setsigdefault", FunctionDescriptor.of(Native.C_INT, Native.C_POINTER, Native.C_POINTER));
    public static final MethodHandle posix_spawnattr_setpgroup = Native.downcallNoErrno("posix_spawnattr_setpgroup",
            FunctionDescriptor.of(Native.C_INT, Native.C_POINTER, Native.C_INT));

    /** Throws {@link LinuxException} when a spawn function returned a non-zero error number. */
    public static void check(String call, String subject, int result) {
        if (result != 0) {
            throw new LinuxException(call, subject, result);
        }
    }
}
