/*
 * Installs a seccomp filter read from a file (struct sock_filter[] as the Java compiler writes it), then
 * makes the system calls named on the command line and prints "name=errno" for each (0: the call
 * succeeded). Without a filter file ("-") it only makes the calls, to show what the kernel does unfiltered.
 *
 *   seccomp_probe FILTER|- CALL...
 */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

static int install(const char *path) {
    static struct sock_filter insns[4096];
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        perror(path);
        return -1;
    }
    size_t n = fread(insns, sizeof insns[0], sizeof insns / sizeof insns[0], f);
    fclose(f);
    struct sock_fprog prog = {.len = (unsigned short)n, .filter = insns};
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) {
        perror("PR_SET_NO_NEW_PRIVS");
        return -1;
    }
    if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog) != 0) {
        perror("seccomp");
        return -1;
    }
    return 0;
}

/* The i386 getpid through the 32-bit entry: seccomp sees AUDIT_ARCH_I386. */
static long int80_getpid(void) {
#if defined(__x86_64__)
    long ret;
    __asm__ volatile("int $0x80" : "=a"(ret) : "a"(20L) : "memory");
    if (ret < 0) {
        errno = (int)-ret;
        return -1;
    }
    return ret;
#else
    errno = ENOSYS;
    return -1;
#endif
}

static long call(const char *name) {
    if (strcmp(name, "getpid") == 0) return syscall(SYS_getpid);
    if (strcmp(name, "getppid") == 0) return syscall(SYS_getppid);
    if (strcmp(name, "mount") == 0) return mount("none", "/nonexistent-jc-seccomp", "tmpfs", 0, NULL);
    if (strcmp(name, "unshare_user") == 0) return unshare(CLONE_NEWUSER);
    if (strcmp(name, "clone3") == 0) return syscall(SYS_clone3, NULL, 0);
    if (strcmp(name, "keyctl") == 0) return syscall(SYS_keyctl, 0 /* KEYCTL_GET_KEYRING_ID */, -3, 0);
    if (strcmp(name, "personality_query") == 0) return syscall(SYS_personality, 0xffffffffUL);
    if (strcmp(name, "personality_0x1234") == 0) return syscall(SYS_personality, 0x1234UL);
    if (strcmp(name, "dup_1000") == 0) return syscall(SYS_dup, 1000);
    if (strcmp(name, "dup_1001") == 0) return syscall(SYS_dup, 1001);
    if (strcmp(name, "int80_getpid") == 0) return int80_getpid();
    fprintf(stderr, "unknown call %s\n", name);
    exit(2);
}

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: %s FILTER|- CALL...\n", argv[0]);
        return 2;
    }
    if (strcmp(argv[1], "-") != 0 && install(argv[1]) != 0) {
        return 1;
    }
    for (int i = 2; i < argc; i++) {
        errno = 0;
        long ret = call(argv[i]);
        printf("%s=%d\n", argv[i], ret == -1 ? errno : 0);
        fflush(stdout);
    }
    return 0;
}
