/* Constants of sched.h as the Sched binding uses them (see src/main/ffm/sched.txt). */
#define _GNU_SOURCE
#include <sched.h>
#include "probe.h"

int main(void) {
    CONSTANT(CLONE_NEWTIME); CONSTANT(CLONE_NEWNS); CONSTANT(CLONE_NEWCGROUP); CONSTANT(CLONE_NEWUTS);
    CONSTANT(CLONE_NEWIPC); CONSTANT(CLONE_NEWUSER); CONSTANT(CLONE_NEWPID); CONSTANT(CLONE_NEWNET);
    return 0;
}
