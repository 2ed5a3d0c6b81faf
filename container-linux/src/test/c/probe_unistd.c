/* Constants of fcntl.h as the Unistd binding uses them (see src/main/ffm/unistd.txt). */
#define _GNU_SOURCE
#include <fcntl.h>
#include <unistd.h>
#include "probe.h"

int main(void) {
    CONSTANT(O_RDONLY); CONSTANT(O_DIRECTORY); CONSTANT(O_NOFOLLOW); CONSTANT(O_CLOEXEC); CONSTANT(O_PATH);
    CONSTANT(AT_FDCWD); CONSTANT(AT_SYMLINK_NOFOLLOW); CONSTANT(AT_EMPTY_PATH); CONSTANT(AT_RECURSIVE);
    return 0;
}
