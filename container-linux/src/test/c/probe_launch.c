/* Prints sizeof/offsetof of the structs the launch bindings (Spawn, Signals, Poll) lay out in Java. */
#define _GNU_SOURCE
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stddef.h>
#include <stdio.h>

#define SIZE(t) printf("sizeof.%s=%zu\n", #t, sizeof(t))
#define OFF(t, f) printf("offsetof.%s.%s=%zu\n", #t, #f, offsetof(t, f))

int main(void) {
    SIZE(posix_spawn_file_actions_t);
    OFF(posix_spawn_file_actions_t, __allocated);
    OFF(posix_spawn_file_actions_t, __used);
    OFF(posix_spawn_file_actions_t, __actions);
    OFF(posix_spawn_file_actions_t, __pad);
    SIZE(posix_spawnattr_t);
    OFF(posix_spawnattr_t, __flags);
    OFF(posix_spawnattr_t, __pgrp);
    OFF(posix_spawnattr_t, __sd);
    OFF(posix_spawnattr_t, __ss);
    OFF(posix_spawnattr_t, __sp);
    OFF(posix_spawnattr_t, __policy);
    OFF(posix_spawnattr_t, __pad);
    SIZE(sigset_t);
    SIZE(struct pollfd);
    OFF(struct pollfd, fd);
    OFF(struct pollfd, events);
    OFF(struct pollfd, revents);
    return 0;
}
