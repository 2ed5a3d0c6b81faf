/* Layout and constants of the *at() calls and openat2(2) as the FileAt binding uses them (src/main/ffm/fileat.txt). */
#define _GNU_SOURCE
#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/syscall.h>
#include "probe.h"

#define SYS_OPENAT2 SYS_openat2

int main(void) {
    SIZEOF(open_how);
    OFFSETOF(open_how, flags); OFFSETOF(open_how, mode); OFFSETOF(open_how, resolve);
    CONSTANT(O_RDONLY); CONSTANT(O_WRONLY); CONSTANT(O_CREAT); CONSTANT(O_EXCL); CONSTANT(O_NOFOLLOW);
    CONSTANT(O_DIRECTORY); CONSTANT(O_PATH); CONSTANT(O_CLOEXEC);
    CONSTANT(AT_EMPTY_PATH); CONSTANT(AT_SYMLINK_NOFOLLOW); CONSTANT(AT_REMOVEDIR);
    CONSTANT(RESOLVE_NO_XDEV); CONSTANT(RESOLVE_NO_MAGICLINKS); CONSTANT(RESOLVE_NO_SYMLINKS);
    CONSTANT(RESOLVE_BENEATH); CONSTANT(RESOLVE_IN_ROOT);
    CONSTANT(SYS_OPENAT2);
    return 0;
}
