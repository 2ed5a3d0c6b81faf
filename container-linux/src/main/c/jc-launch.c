/*
 * jc-launch: the launch helper and container monitor of jcontainers.
 *
 * The JVM never forks. It posix_spawn()s this program with one end of a SOCK_SEQPACKET socketpair at
 * fd 3 and sends it a binary plan (encoded by dev.jcontainers.linux.launch.PlanCodec). The helper
 * validates the plan, clone3()s the container process into the requested namespaces, reports the
 * child's pid, waits for "go" (Java writes uid/gid maps and places the pid in cgroups meanwhile), and
 * the child then runs the plan literally: mount list, pivot_root, hostname, rlimits, credentials,
 * capabilities, no_new_privs, seccomp, cwd, execve. A failure before execve travels back over a
 * CLOEXEC pipe as errno + stage, so the JVM gets a precise error and nothing is left running.
 *
 * After execve the helper stays as the monitor: it reaps the container (and, as a subreaper, its
 * orphans), writes the container's stdout/stderr to a json-file log like Docker's, records the exit
 * in <state>/exit.json atomically and applies the lifetime policy: a SANDBOX container is SIGKILLed
 * when the control socket closes (the JVM died, even by SIGKILL); a DETACHED one outlives the JVM.
 * With a restart policy it starts the process again itself, JVM or not (see restart_due).
 *
 * The helper holds no policy and parses no JSON. "--parse-only" validates a plan read from stdin
 * (used by the fuzz tests). Only libc; built with -Wall -Wextra -Werror, statically when possible.
 */
#define _GNU_SOURCE
#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <net/if.h>
#include <linux/capability.h>
#include <linux/filter.h>
#include <linux/seccomp.h>

#define CTL_FD 3
#define PLAN_MAGIC "JCLP"
#define PLAN_VERSION 1
#define PLAN_HEADER 12
#define PLAN_MAX (16u << 20)
#define NS_ALL (CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNET | \
                CLONE_NEWCGROUP | CLONE_NEWTIME)
#define INTO_CGROUP 0x200000000ULL
#define LOG_CHUNK 16384 /* Docker's json-file driver splits lines at 16 KiB as well */

enum section {
    T_NAMESPACES = 1, T_IDMAPS, T_CGROUP, T_MOUNTS, T_HOSTNAME, T_RLIMITS, T_CAPS, T_FLAGS, T_SECCOMP,
    T_USER, T_CWD, T_EXEC, T_STDIO, T_LOG, T_LIFETIME, T_STATEDIR, T_TIMENS, T_RESTART, T_TTY, T_END
};
enum mount_kind { M_MOUNT = 1, M_MKDIR, M_MKNOD, M_SYMLINK, M_PIVOT_ROOT, M_CREATE_FILE, M_END };
enum stream_mode { S_NULL = 0, S_INHERIT = 1, S_LOG = 2, S_LOG_AND_INHERIT = 3 };
enum lifetime { SANDBOX = 0, DETACHED = 1 };
enum restart { R_NO = 0, R_ON_FAILURE = 1, R_ALWAYS = 2 };
enum message { MSG_CHILD = 1, MSG_ERROR, MSG_STARTED, MSG_EXITED, MSG_ZYGOTE, MSG_GO = 10, MSG_ABORT, MSG_SIGNAL, MSG_RESIZE };

struct mount_op {
    uint32_t kind, mode;
    uint64_t flags, dev;
    const char *source, *target, *fstype, *data; /* NULL when the plan gave an empty string */
};
struct join { uint32_t nstype; const char *path; int fd; };
struct rlim { uint32_t resource; uint64_t soft, hard; };

struct plan {
    uint64_t clone_flags;
    struct join joins[9]; /* one more for the network namespace a restart keeps */
    uint32_t njoins;
    const char *cgroup;
    struct mount_op *mounts;
    uint32_t nmounts;
    const char *hostname, *domainname;
    struct rlim *rlimits;
    uint32_t nrlimits;
    int has_caps;
    uint64_t cap_bounding, cap_effective, cap_permitted, cap_inheritable, cap_ambient;
    uint32_t flags;
    int no_new_privs, lo_up;
    const uint8_t *seccomp;
    uint32_t seccomp_len;
    int has_user;
    uint32_t uid, gid, ngroups;
    gid_t *groups;
    const char *cwd, *exec;
    char **argv, **envp;
    uint32_t stdio[3];
    const char *log_path;
    uint64_t log_max_size;
    uint32_t log_max_files, lifetime;
    const char *state_dir;
    int has_timens;
    int64_t mono_sec, boot_sec;
    uint32_t mono_nsec, boot_nsec;
    uint32_t restart, max_restarts;
    char **cgroup_dirs; /* v1: where the monitor itself puts a restarted process */
    int tty; /* a pseudo-terminal is stdio; its master is pumped like the stdout pipe */
    uint32_t rows, cols;
};

static char errbuf[512];

static int failf(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(errbuf, sizeof errbuf, fmt, ap);
    va_end(ap);
    return -1;
}

/* ---- plan decoding: a cursor whose first error sticks; every read after it yields 0/NULL ---- */

struct cur { const uint8_t *p, *end; const char *err; };

static size_t left(const struct cur *c) { return (size_t)(c->end - c->p); }

static int bad(struct cur *c, const char *why) { if (!c->err) c->err = why; return -1; } /* the first error sticks */

/* A little-endian unsigned integer of n bytes. */
static uint64_t take(struct cur *c, size_t n) {
    uint64_t v = 0;
    if (c->err) return 0;
    if (left(c) < n) return (uint64_t)bad(c, "truncated"), 0;
    for (size_t i = 0; i < n; i++) v |= (uint64_t)c->p[i] << (8 * i);
    c->p += n;
    return v;
}
static uint32_t u32(struct cur *c) { return (uint32_t)take(c, 4); }
static uint64_t u64(struct cur *c) { return take(c, 8); }

/* A string is u32 length (including the terminating nul), bytes, nul; no nul inside. */
static const char *str(struct cur *c) {
    uint32_t n = u32(c);
    const char *s = (const char *)c->p;
    if (c->err) return NULL;
    if (n == 0 || n > left(c)) return bad(c, "bad string length"), NULL;
    if (s[n - 1] != '\0' || memchr(s, '\0', n - 1)) return bad(c, "string not nul-terminated"), NULL;
    c->p += n;
    return s;
}

static const char *opt_str(struct cur *c) { const char *s = str(c); return s && *s ? s : NULL; }
static const char *abs_path(struct cur *c) { const char *s = str(c); if (s && *s != '/') bad(c, "path not absolute"); return s; }

/* A count followed by elements of at least min_size bytes each: bounded by what is left. */
static uint32_t count(struct cur *c, size_t min_size, uint32_t max) {
    uint32_t n = u32(c);
    if (!c->err && (n > max || n > left(c) / min_size)) bad(c, "count out of range");
    return c->err ? 0 : n;
}

static void *alloc(struct cur *c, size_t n, size_t sz) { void *p = calloc(n + 1, sz); if (!p) bad(c, "out of memory"); return p; }

static char **str_list(struct cur *c, uint32_t min, uint32_t max, int need_eq) {
    uint32_t n = count(c, 5, max);
    char **v = c->err ? NULL : alloc(c, n, sizeof(char *));
    if (!c->err && n < min) bad(c, "list too short");
    for (uint32_t i = 0; i < n && !c->err; i++) {
        v[i] = (char *)str(c);
        if (v[i] && need_eq && !strchr(v[i], '=')) bad(c, "environment entry without '='");
    }
    return v;
}

static int single_ns(uint64_t t) { return t && (t & NS_ALL) == t && !(t & (t - 1)); }

static void parse_section(uint32_t tag, struct cur *c, struct plan *pl) {
    switch (tag) {
    case T_NAMESPACES: {
        pl->clone_flags = u64(c);
        if (pl->clone_flags & ~(uint64_t)NS_ALL) bad(c, "unknown namespace flags");
        pl->njoins = count(c, 9, 8);
        for (uint32_t i = 0; i < pl->njoins; i++) {
            pl->joins[i].nstype = u32(c);
            pl->joins[i].path = abs_path(c);
            if (!c->err && !single_ns(pl->joins[i].nstype)) bad(c, "bad namespace type to join");
            if (!c->err && (pl->joins[i].nstype & pl->clone_flags)) bad(c, "namespace both new and joined");
        }
        break;
    }
    case T_IDMAPS: /* Java writes the maps; the helper only checks the section is well formed */
        for (int k = 0; k < 2; k++)
            for (uint32_t i = 0, n = count(c, 12, 340); i < n; i++)
                if ((u32(c), u32(c), u32(c)) == 0 && !c->err) bad(c, "empty id mapping");
        break;
    case T_CGROUP: pl->cgroup = abs_path(c); break;
    case T_MOUNTS:
        pl->nmounts = count(c, 44, 4096);
        pl->mounts = c->err ? NULL : alloc(c, pl->nmounts, sizeof *pl->mounts);
        for (uint32_t i = 0; i < pl->nmounts && !c->err; i++) {
            struct mount_op *m = &pl->mounts[i];
            m->kind = u32(c), m->mode = u32(c), m->flags = u64(c), m->dev = u64(c);
            m->source = opt_str(c), m->target = abs_path(c), m->fstype = opt_str(c), m->data = opt_str(c);
            if (c->err) break;
            if (m->kind == 0 || m->kind >= M_END) bad(c, "unknown mount op");
            else if (m->kind == M_MKNOD && !S_ISCHR(m->mode) && !S_ISBLK(m->mode) && !S_ISFIFO(m->mode))
                bad(c, "mknod mode is not a char, block or fifo node");
            else if (m->kind != M_MKNOD && (m->mode & ~07777u)) bad(c, "bad mode");
            else if (m->kind == M_SYMLINK && !m->source) bad(c, "symlink without a target");
        }
        break;
    case T_HOSTNAME:
        pl->hostname = opt_str(c), pl->domainname = opt_str(c);
        if ((pl->hostname && strlen(pl->hostname) > 64) || (pl->domainname && strlen(pl->domainname) > 64))
            bad(c, "host or domain name longer than 64");
        break;
    case T_RLIMITS:
        pl->nrlimits = count(c, 20, RLIM_NLIMITS);
        pl->rlimits = c->err ? NULL : alloc(c, pl->nrlimits, sizeof *pl->rlimits);
        for (uint32_t i = 0; i < pl->nrlimits && !c->err; i++) {
            struct rlim *r = &pl->rlimits[i];
            r->resource = u32(c), r->soft = u64(c), r->hard = u64(c);
            if (!c->err && (r->resource >= RLIM_NLIMITS || r->soft > r->hard)) bad(c, "bad rlimit");
        }
        break;
    case T_CAPS:
        pl->has_caps = 1;
        pl->cap_bounding = u64(c), pl->cap_effective = u64(c), pl->cap_permitted = u64(c);
        pl->cap_inheritable = u64(c), pl->cap_ambient = u64(c);
        if ((pl->cap_effective & ~pl->cap_permitted) ||
            (pl->cap_ambient & ~(pl->cap_permitted & pl->cap_inheritable)))
            bad(c, "effective or ambient capabilities not permitted");
        break;
    case T_FLAGS: /* bit 0: no_new_privs, bit 1: bring lo up (in a network namespace of its own) */
        pl->no_new_privs = (int)(pl->flags = u32(c)) & 1, pl->lo_up = pl->flags >> 1 & 1;
        if (pl->flags & ~3u) bad(c, "unknown flags");
        break;
    case T_SECCOMP:
        pl->seccomp_len = u32(c);
        if (!c->err && (pl->seccomp_len == 0 || pl->seccomp_len % sizeof(struct sock_filter) ||
                        pl->seccomp_len > BPF_MAXINSNS * sizeof(struct sock_filter) || pl->seccomp_len > left(c)))
            bad(c, "bad seccomp program length");
        if (!c->err) pl->seccomp = c->p, c->p += pl->seccomp_len;
        break;
    case T_USER:
        pl->has_user = 1;
        pl->uid = u32(c), pl->gid = u32(c);
        pl->ngroups = count(c, 4, 65536);
        pl->groups = c->err ? NULL : alloc(c, pl->ngroups, sizeof(gid_t));
        for (uint32_t i = 0; i < pl->ngroups && !c->err; i++) pl->groups[i] = u32(c);
        if (!c->err && (pl->uid == (uint32_t)-1 || pl->gid == (uint32_t)-1)) bad(c, "uid or gid -1");
        break;
    case T_CWD: pl->cwd = abs_path(c); break;
    case T_EXEC:
        pl->exec = str(c);
        if (pl->exec && !*pl->exec) bad(c, "empty executable");
        pl->argv = str_list(c, 1, 65536, 0);
        pl->envp = str_list(c, 0, 65536, 1);
        break;
    case T_STDIO:
        for (int i = 0; i < 3; i++) pl->stdio[i] = u32(c);
        if (!c->err && (pl->stdio[0] > S_INHERIT || pl->stdio[1] > S_LOG_AND_INHERIT || pl->stdio[2] > S_LOG_AND_INHERIT))
            bad(c, "bad stdio mode");
        break;
    case T_LOG:
        pl->log_path = abs_path(c), pl->log_max_size = u64(c), pl->log_max_files = u32(c);
        if (!c->err && (pl->log_max_files < 1 || pl->log_max_files > 1000)) bad(c, "bad log file count");
        break;
    case T_LIFETIME: if ((pl->lifetime = u32(c)) > DETACHED) bad(c, "bad lifetime"); break;
    case T_STATEDIR: pl->state_dir = abs_path(c); break;
    case T_TIMENS:
        pl->has_timens = 1;
        pl->mono_sec = (int64_t)u64(c), pl->mono_nsec = u32(c);
        pl->boot_sec = (int64_t)u64(c), pl->boot_nsec = u32(c);
        if (!c->err && (pl->mono_nsec >= 1000000000u || pl->boot_nsec >= 1000000000u)) bad(c, "bad time offset");
        break;
    case T_RESTART:
        pl->restart = u32(c), pl->max_restarts = u32(c), pl->cgroup_dirs = str_list(c, 0, 16, 0);
        for (char **d = pl->cgroup_dirs; !c->err && *d; d++) if (**d != '/') bad(c, "path not absolute");
        if (!c->err && (pl->restart == R_NO || pl->restart > R_ALWAYS)) bad(c, "bad restart policy");
        break;
    case T_TTY:
        pl->tty = 1, pl->rows = u32(c), pl->cols = u32(c);
        if (pl->rows > 0xffff || pl->cols > 0xffff) bad(c, "bad terminal size");
        break;
    }
}

static int joins(const struct plan *pl, uint64_t type) {
    for (uint32_t i = 0; i < pl->njoins; i++) if (pl->joins[i].nstype == type) return 1;
    return 0;
}
/* The namespace is new or joined, i.e. not the host's. */
static int has_ns(const struct plan *pl, uint64_t type) { return (pl->clone_flags & type) || joins(pl, type); }

static int parse_plan(const uint8_t *buf, size_t len, struct plan *pl) {
    uint32_t seen = 0, total;
    uint16_t version, reserved;
    memset(pl, 0, sizeof *pl);
    if (len < PLAN_HEADER) return failf("plan shorter than its header");
    if (memcmp(buf, PLAN_MAGIC, 4)) return failf("bad magic");
    memcpy(&version, buf + 4, 2), memcpy(&reserved, buf + 6, 2), memcpy(&total, buf + 8, 4);
    if (le16toh(version) != PLAN_VERSION) return failf("unsupported plan version %u", le16toh(version));
    if (reserved) return failf("reserved header bits set");
    if (le32toh(total) != len) return failf("plan length %u does not match %zu bytes", le32toh(total), len);
    struct cur c = {buf + PLAN_HEADER, buf + len, NULL};
    while (left(&c) > 0) {
        uint32_t head = u32(&c), size = u32(&c), tag = head & 0xffff;
        if (c.err) return failf("truncated section header");
        if (head >> 16) return failf("reserved section bits set");
        if (tag == 0 || tag >= T_END) return failf("unknown section %u", tag);
        if (seen & (1u << tag)) return failf("duplicate section %u", tag);
        if (size > left(&c)) return failf("section %u longer than the plan", tag);
        seen |= 1u << tag;
        struct cur s = {c.p, c.p + size, NULL};
        c.p += size;
        parse_section(tag, &s, pl);
        if (s.err) return failf("section %u: %s", tag, s.err);
        if (s.p != s.end) return failf("section %u: %zu trailing bytes", tag, left(&s));
    }
    if (!(seen & (1u << T_EXEC))) return failf("plan has no exec section");
    if (((pl->stdio[1] | pl->stdio[2]) & S_LOG) && !pl->log_path) return failf("stdio logged but no log section");
    if (pl->has_timens && !(pl->clone_flags & CLONE_NEWTIME)) return failf("time offsets without a time namespace");
    if (pl->restart && (pl->clone_flags & CLONE_NEWUSER)) return failf("restarts in a new user namespace are unsupported");
    /* never let a plan change the host's mount table or names */
    if (pl->nmounts && !has_ns(pl, CLONE_NEWNS)) return failf("mounts without a mount namespace");
    if ((pl->hostname || pl->domainname) && !has_ns(pl, CLONE_NEWUTS)) return failf("hostname without a uts namespace");
    if (pl->lo_up && !(pl->clone_flags & CLONE_NEWNET)) return failf("lo up without a network namespace of its own");
    return 0;
}

static int parse_only(void) {
    size_t cap = 65536, len = 0;
    uint8_t *buf = malloc(cap);
    ssize_t n;
    struct plan pl;
    while (buf && (n = read(0, buf + len, cap - len)) != 0) {
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return perror("read"), 2;
        if ((len += (size_t)n) == cap && cap <= PLAN_MAX) buf = realloc(buf, cap *= 2);
        else if (len == cap) return fputs("invalid plan: too large\n", stderr), 2;
    }
    if (!buf) return fputs("out of memory\n", stderr), 2;
    if (parse_plan(buf, len, &pl) < 0) return fprintf(stderr, "invalid plan: %s\n", errbuf), 2;
    puts("ok");
    return 0;
}

/* ---- control socket ---- */

static int ctl = CTL_FD;

static void send_msg(uint32_t type, int32_t a, int32_t b, const char *text) {
    uint8_t m[12 + sizeof errbuf];
    size_t n = 12, tl = text ? strnlen(text, sizeof errbuf - 1) : 0;
    uint32_t le[3] = {htole32(type), htole32((uint32_t)a), htole32((uint32_t)b)};
    if (ctl < 0) return;
    memcpy(m, le, 12);
    if (tl) memcpy(m + 12, text, tl), n += tl;
    while (send(ctl, m, n, MSG_NOSIGNAL) < 0 && errno == EINTR) {}
}

static int send_error(int err, const char *fmt, ...) {
    char text[sizeof errbuf];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    send_msg(MSG_ERROR, err, 0, text);
    return 1;
}

/* Receives one control message; returns its type, 0 on EOF/error. */
static uint32_t recv_msg(int32_t *arg) {
    uint32_t m[2] = {0, 0};
    ssize_t n;
    while ((n = recv(ctl, m, sizeof m, 0)) < 0 && errno == EINTR) {}
    if (n < 4) return 0;
    *arg = (int32_t)le32toh(m[1]);
    return le32toh(m[0]);
}

/* Sends fd over a unix socket (SCM_RIGHTS); with fd -1 receives one instead. Returns the fd or -1. */
static int pass_fd(int sock, int fd) {
    char data = 't';
    union { struct cmsghdr h; char buf[CMSG_SPACE(sizeof(int))]; } u;
    struct iovec iov = {&data, 1};
    struct msghdr mh = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = u.buf, .msg_controllen = sizeof u.buf};
    struct cmsghdr *c = CMSG_FIRSTHDR(&mh);
    if (fd >= 0) {
        c->cmsg_level = SOL_SOCKET, c->cmsg_type = SCM_RIGHTS, c->cmsg_len = CMSG_LEN(sizeof(int));
        memcpy(CMSG_DATA(c), &fd, sizeof fd);
        return sendmsg(sock, &mh, MSG_NOSIGNAL) < 0 ? -1 : fd;
    }
    if (recvmsg(sock, &mh, MSG_CMSG_CLOEXEC) <= 0 || !(c = CMSG_FIRSTHDR(&mh)) || c->cmsg_type != SCM_RIGHTS) return -1;
    memcpy(&fd, CMSG_DATA(c), sizeof fd);
    return fd;
}

/* The plan arrives in datagrams of any size; its header says how long it is in total. */
static uint8_t *recv_plan(size_t *len) {
    size_t have = 0, total = 65536;
    int known = 0;
    uint8_t *buf = malloc(total);
    while (buf && have < total) {
        ssize_t n = recv(ctl, buf + have, total - have, MSG_TRUNC);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return failf("control socket closed while receiving the plan"), NULL;
        if ((size_t)n > total - have) return failf("plan datagram exceeds the announced length"), NULL;
        have += (size_t)n;
        if (have < PLAN_HEADER) return failf("plan shorter than its header"), NULL;
        if (!known) {
            uint32_t t;
            memcpy(&t, buf + 8, 4);
            known = 1;
            if ((total = le32toh(t)) < PLAN_HEADER || total > PLAN_MAX || total < have)
                return failf("bad plan length %zu", total), NULL;
            buf = realloc(buf, total);
        }
    }
    if (!buf) failf("out of memory");
    *len = have;
    return buf;
}

/* ---- the container process, between clone3 and execve ---- */

struct child_error { int err; char stage[244]; };
static int child_errfd = -1;

__attribute__((noreturn, format(printf, 1, 2))) static void die(const char *fmt, ...) {
    struct child_error e = {errno, ""};
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e.stage, sizeof e.stage, fmt, ap);
    va_end(ap);
    if (write(child_errfd, &e, sizeof e) < 0) { /* nobody to tell */ }
    _exit(127);
}

static int mkdir_p(const char *path, mode_t mode) {
    char buf[4096], saved;
    if (strlen(path) >= sizeof buf) return errno = ENAMETOOLONG, -1;
    strcpy(buf, path);
    for (char *p = buf + 1; ; p++) {
        if (*p != '/' && *p != '\0') continue;
        saved = *p, *p = '\0';
        if (mkdir(buf, mode) < 0 && errno != EEXIST) return -1;
        if (!(*p = saved)) return 0;
    }
}

static void run_mount_op(const struct mount_op *m) {
    struct stat st;
    int fd;
    switch (m->kind) {
    case M_MOUNT:
        if (mount(m->source, m->target, m->fstype, m->flags, m->data) < 0)
            die("mount(%s on %s)", m->source ? m->source : m->fstype ? m->fstype : "none", m->target);
        break;
    case M_MKDIR:
        if (mkdir_p(m->target, m->mode) < 0) die("mkdir(%s)", m->target);
        break;
    case M_MKNOD:
        if (mknod(m->target, m->mode, m->dev) < 0) die("mknod(%s)", m->target);
        if (chmod(m->target, m->mode & 07777) < 0) die("chmod(%s)", m->target); /* umask must not decide */
        break;
    case M_SYMLINK:
        if (symlink(m->source, m->target) < 0 && errno != EEXIST) die("symlink(%s)", m->target);
        break;
    case M_CREATE_FILE: /* it only has to exist; an existing one may be unwritable (host ids in a user ns) */
        if (mknod(m->target, S_IFREG | (m->mode & 07777), 0) < 0) {
            if (errno != EEXIST || lstat(m->target, &st) < 0) die("create(%s)", m->target);
            if (S_ISLNK(st.st_mode)) errno = ELOOP, die("create(%s)", m->target);
        }
        break;
    case M_PIVOT_ROOT: /* pivot_root(".", ".") stacks the old root on the new one: detach it right away, a slave
                        * first so that unmounting its shared mounts cannot propagate to the host (as runc does) */
        if ((fd = open("/", O_DIRECTORY | O_RDONLY | O_CLOEXEC)) < 0 || chdir(m->target) < 0) die("chdir(%s)", m->target);
        if (syscall(SYS_pivot_root, ".", ".") < 0) die("pivot_root(%s)", m->target);
        if (fchdir(fd) < 0 || mount(NULL, ".", NULL, MS_SLAVE | MS_REC, NULL) < 0 || umount2(".", MNT_DETACH) < 0)
            die("umount2(old root)");
        if (close(fd), chdir("/") < 0) die("chdir(/)");
        break;
    }
}

static void load_seccomp(const struct plan *pl) {
    if (!pl->seccomp) return;
    struct sock_fprog prog = {(unsigned short)(pl->seccomp_len / sizeof(struct sock_filter)),
                              (struct sock_filter *)pl->seccomp};
    if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog) < 0) die("seccomp");
}

static void set_credentials(const struct plan *pl) {
    for (int c = 0; pl->has_caps && c < 64; c++)
        if (!(pl->cap_bounding & (1ULL << c)) && prctl(PR_CAPBSET_DROP, c, 0, 0, 0) < 0 && errno != EINVAL)
            die("prctl(PR_CAPBSET_DROP %d)", c);
    if (pl->has_user) {
        if (prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) < 0) die("prctl(PR_SET_KEEPCAPS)");
        /* with setgroups "deny" in a user namespace an empty list is all we could want anyway */
        if (setgroups(pl->ngroups, pl->groups) < 0 && !(errno == EPERM && pl->ngroups == 0)) die("setgroups");
        if (setresgid(pl->gid, pl->gid, pl->gid) < 0) die("setresgid(%u)", pl->gid);
        if (setresuid(pl->uid, pl->uid, pl->uid) < 0) die("setresuid(%u)", pl->uid);
        if (prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0) < 0) die("prctl(PR_SET_KEEPCAPS)");
    }
    if (pl->has_caps) {
        struct __user_cap_header_struct h = {_LINUX_CAPABILITY_VERSION_3, 0};
        struct __user_cap_data_struct d[2];
        for (int i = 0; i < 2; i++) /* effective, permitted, inheritable: low 32 bits in d[0], high in d[1] */
            d[i] = (struct __user_cap_data_struct){(uint32_t)(pl->cap_effective >> 32 * i),
                    (uint32_t)(pl->cap_permitted >> 32 * i), (uint32_t)(pl->cap_inheritable >> 32 * i)};
        if (syscall(SYS_capset, &h, d) < 0) die("capset");
        if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0 && errno != EINVAL) die("prctl(PR_CAP_AMBIENT)");
        for (int c = 0; c < 64; c++)
            if ((pl->cap_ambient & (1ULL << c)) && prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, c, 0, 0) < 0)
                die("prctl(PR_CAP_AMBIENT_RAISE %d)", c);
    }
}

/* execve, searching the container's PATH (from the plan's env) when the name has no slash. */
__attribute__((noreturn)) static void exec_plan(const struct plan *pl) {
    const char *path = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
    char buf[4096];
    int eacces = 0;
    if (strchr(pl->exec, '/')) execve(pl->exec, pl->argv, pl->envp), die("execve(%s)", pl->exec);
    for (char **e = pl->envp; *e; e++)
        if (!strncmp(*e, "PATH=", 5)) path = *e + 5;
    for (const char *p = path; ; p++) {
        const char *colon = strchrnul(p, ':');
        int n = snprintf(buf, sizeof buf, "%.*s%s%s", (int)(colon - p), p, colon == p ? "" : "/", pl->exec);
        if (n > 0 && (size_t)n < sizeof buf) {
            execve(buf, pl->argv, pl->envp);
            if (errno == EACCES) eacces = 1;
            else if (errno != ENOENT && errno != ENOTDIR) die("execve(%s)", buf);
        }
        if (!*(p = colon)) break;
    }
    errno = eacces ? EACCES : ENOENT;
    die("execve(%s)", pl->exec);
}

struct launch {
    struct plan *pl;
    int devnull, out[2][2], errp[2], syncp[2], ttyp[2], netfd;
};

/* A terminal of the container's own devpts (so `tty` names /dev/pts/N inside): the peer becomes the
 * controlling terminal and all of stdio, the master goes to the monitor. */
static void open_tty(struct launch *l) {
    struct winsize ws = {(unsigned short)l->pl->rows, (unsigned short)l->pl->cols, 0, 0};
    int unlock = 0, s = -1, m = open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (m < 0 || ioctl(m, TIOCSPTLCK, &unlock) < 0 || (s = ioctl(m, TIOCGPTPEER, O_RDWR | O_NOCTTY)) < 0)
        die("open(/dev/ptmx)");
    if ((ws.ws_row && ioctl(m, TIOCSWINSZ, &ws) < 0) || ioctl(s, TIOCSCTTY, 0) < 0) die("ioctl(tty)");
    if (dup2(s, 0) < 0 || dup2(s, 1) < 0 || dup2(s, 2) < 0 || pass_fd(l->ttyp[1], m) < 0) die("tty");
    close(m), close(s);
}

__attribute__((noreturn)) static void run_child(struct launch *l) {
    struct plan *pl = l->pl;
    sigset_t none;
    char go;
    pid_t parent = getppid(); /* 0 when the child is in a pid namespace its parent is not in */
    sigemptyset(&none), sigprocmask(SIG_SETMASK, &none, NULL);
    signal(SIGPIPE, SIG_DFL);
    child_errfd = l->errp[1];
    close(CTL_FD), close(l->errp[0]), close(l->syncp[1]);
    if (read(l->syncp[0], &go, 1) != 1) _exit(1); /* the monitor gave up on us */
    close(l->syncp[0]);
    if (pl->lifetime == SANDBOX && (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0 || getppid() != parent)) _exit(1);
    for (int pass = 0; pass < 2; pass++) /* join a user namespace first: it grants the rights for the rest */
        for (uint32_t i = 0; i < pl->njoins; i++)
            if ((pl->joins[i].nstype == CLONE_NEWUSER) == !pass && pl->joins[i].fd >= 0 &&
                setns(pl->joins[i].fd, (int)pl->joins[i].nstype) < 0)
                die("setns(%s)", pl->joins[i].path);
    /* a cgroup namespace is rooted where the process is when it is made: here, after the cgroup placement */
    if ((pl->clone_flags & CLONE_NEWCGROUP) && unshare(CLONE_NEWCGROUP) < 0) die("unshare(CLONE_NEWCGROUP)");
    /* In a new user namespace we still carry the host's (unmapped) ids, so files we create would have no
     * owner there (EOVERFLOW): become the namespace's root first, if the maps have one. */
    if (has_ns(pl, CLONE_NEWUSER)) {
        if (setresgid(0, 0, 0) < 0 && errno != EINVAL) die("setresgid(0)");
        if (setresuid(0, 0, 0) < 0 && errno != EINVAL) die("setresuid(0)");
    }
    if (pl->lo_up) { /* an ioctl here is cheaper than rtnetlink from the JVM during the sync */
        struct ifreq r = {.ifr_name = "lo"};
        int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        if (s < 0 || ioctl(s, SIOCGIFFLAGS, &r) < 0 || (r.ifr_flags |= IFF_UP, ioctl(s, SIOCSIFFLAGS, &r)) < 0) die("lo up");
        close(s);
    }
    if (setsid() < 0) die("setsid");
    for (int i = 0; i < 3 && !pl->tty; i++) {
        int src = pl->stdio[i] == S_NULL ? l->devnull : (pl->stdio[i] & S_LOG) ? l->out[i - 1][1] : i;
        if (src != i && dup2(src, i) < 0) die("dup2(%d)", i);
    }
    for (uint32_t i = 0; i < pl->nmounts; i++) run_mount_op(&pl->mounts[i]);
    if (pl->tty) open_tty(l);
    if (pl->hostname && sethostname(pl->hostname, strlen(pl->hostname)) < 0) die("sethostname(%s)", pl->hostname);
    if (pl->domainname && setdomainname(pl->domainname, strlen(pl->domainname)) < 0) die("setdomainname");
    for (uint32_t i = 0; i < pl->nrlimits; i++) {
        struct rlimit r = {pl->rlimits[i].soft, pl->rlimits[i].hard};
        if (setrlimit((int)pl->rlimits[i].resource, &r) < 0) die("setrlimit(%u)", pl->rlimits[i].resource);
    }
    /* Without no_new_privs the kernel only takes a filter from a task with CAP_SYS_ADMIN: load it before
     * the capabilities go, as runc does (the profile must then allow the few calls that follow). */
    if (!pl->no_new_privs) load_seccomp(pl);
    set_credentials(pl);
    /* credential changes clear the parent-death signal */
    if (pl->lifetime == SANDBOX && (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0 || getppid() != parent)) _exit(1);
    if (pl->cwd && chdir(pl->cwd) < 0) die("chdir(%s)", pl->cwd);
    if (pl->no_new_privs && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0) die("prctl(PR_SET_NO_NEW_PRIVS)");
    if (close_range(3, ~0U, CLOSE_RANGE_CLOEXEC) < 0) die("close_range");
    if (pl->no_new_privs) load_seccomp(pl);
    exec_plan(pl);
}

/* ---- the monitor: logs, reaping, exit record, lifetime ---- */

struct log { int fd; const char *path; uint64_t size, max; uint32_t files; };
struct stream { int fd, out; const char *name; size_t len; char buf[LOG_CHUNK]; };

static void write_all(int fd, const char *p, size_t n) {
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) return;
        p += w, n -= (size_t)w;
    }
}

static void timestamp(char *out, size_t size) {
    struct timespec ts;
    struct tm tm;
    clock_gettime(CLOCK_REALTIME, &ts);
    gmtime_r(&ts.tv_sec, &tm);
    size_t n = strftime(out, size, "%Y-%m-%dT%H:%M:%S", &tm);
    if (ts.tv_nsec) { /* RFC 3339 with nanoseconds, trailing zeros trimmed (Go's RFC3339Nano) */
        n += (size_t)snprintf(out + n, size - n, ".%09ld", ts.tv_nsec);
        while (out[n - 1] == '0') n--;
    }
    snprintf(out + n, size - n, "Z");
}

/* Length of the valid UTF-8 sequence at p, or 0 when it is not one. */
static size_t utf8_len(const unsigned char *p, size_t n) {
    unsigned char c = p[0];
    size_t len = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : 2;
    unsigned char lo = 0x80, hi = 0xbf;
    if (c < 0xc2 || c > 0xf4 || n < len) return 0;
    if (c == 0xe0 || c == 0xf0) lo = c == 0xe0 ? 0xa0 : 0x90; /* no overlong forms */
    if (c == 0xed || c == 0xf4) hi = c == 0xed ? 0x9f : 0x8f; /* no surrogates, nothing above U+10FFFF */
    if (p[1] < lo || p[1] > hi) return 0;
    for (size_t i = 2; i < len; i++) if ((p[i] & 0xc0) != 0x80) return 0;
    return len;
}

/* Appends s as a JSON string body, escaped as Go's encoding/json does (Docker's json-file driver). */
static size_t json_escape(char *out, const unsigned char *s, size_t n) {
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = s[i];
        size_t u;
        if (c == '"' || c == '\\') out[o++] = '\\', out[o++] = (char)c;
        else if (c == '\n') out[o++] = '\\', out[o++] = 'n';
        else if (c == '\r') out[o++] = '\\', out[o++] = 'r';
        else if (c == '\t') out[o++] = '\\', out[o++] = 't';
        else if (c < 0x20 || c == '<' || c == '>' || c == '&') o += (size_t)sprintf(out + o, "\\u%04x", c);
        else if (c < 0x80) out[o++] = (char)c;
        else if ((u = utf8_len(s + i, n - i)) > 0) memcpy(out + o, s + i, u), o += u, i += u - 1;
        else o += (size_t)sprintf(out + o, "\\ufffd");
    }
    return o;
}

static void rotate(struct log *lg) {
    char from[4096], to[4096];
    close(lg->fd);
    for (uint32_t i = lg->files - 1; i >= 1; i--) {
        snprintf(to, sizeof to, "%s.%u", lg->path, i);
        if (i > 1) snprintf(from, sizeof from, "%s.%u", lg->path, i - 1);
        else snprintf(from, sizeof from, "%s", lg->path);
        rename(from, to);
    }
    lg->fd = open(lg->path, O_WRONLY | O_APPEND | O_CREAT | O_TRUNC | O_CLOEXEC, 0640);
    lg->size = 0;
}

static void log_line(struct log *lg, const char *stream, const char *data, size_t n) {
    static char line[LOG_CHUNK * 6 + 128];
    char ts[64];
    size_t o = (size_t)snprintf(line, sizeof line, "{\"log\":\"");
    o += json_escape(line + o, (const unsigned char *)data, n);
    timestamp(ts, sizeof ts);
    o += (size_t)snprintf(line + o, sizeof line - o, "\",\"stream\":\"%s\",\"time\":\"%s\"}\n", stream, ts);
    if (lg->max && lg->size > 0 && lg->size + o > lg->max) rotate(lg);
    if (lg->fd < 0) return;
    write_all(lg->fd, line, o);
    lg->size += o;
}

static void finish(struct stream *s, struct log *lg) {
    if (s->len > 0) log_line(lg, s->name, s->buf, s->len), s->len = 0;
    close(s->fd), s->fd = -1;
}

/* Reads what the pipe has and logs complete lines (or a full buffer); at EOF also the rest. */
static ssize_t pump(struct stream *s, struct log *lg) {
    ssize_t n;
    size_t start = 0;
    while ((n = read(s->fd, s->buf + s->len, sizeof s->buf - s->len)) < 0 && errno == EINTR) {}
    if (n > 0 && s->out >= 0) write_all(s->out, s->buf + s->len, (size_t)n);
    if (n > 0) s->len += (size_t)n;
    for (size_t i = 0; i < s->len; i++)
        if (s->buf[i] == '\n') log_line(lg, s->name, s->buf + start, i + 1 - start), start = i + 1;
    memmove(s->buf, s->buf + start, s->len -= start);
    if (s->len == sizeof s->buf) log_line(lg, s->name, s->buf, s->len), s->len = 0;
    if (n == 0 || (n < 0 && errno != EAGAIN)) finish(s, lg);
    return n;
}

/* Replaces <state>/<name> atomically. No fsync: it would cost milliseconds on every exit, and after a host crash
 * no container runs anyway. */
__attribute__((format(printf, 3, 4))) static void write_record(int statefd, const char *name, const char *fmt, ...) {
    char body[256], tmp[32];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(body, sizeof body, fmt, ap), fd;
    va_end(ap);
    snprintf(tmp, sizeof tmp, "%s.tmp", name);
    if (statefd < 0 || (fd = openat(statefd, tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644)) < 0) return;
    write_all(fd, body, (size_t)n);
    close(fd);
    renameat(statefd, tmp, statefd, name);
}

/* Runs until the container process has exited and its pipes are drained; returns its wait status. */
static int monitor(struct plan *pl, pid_t child, int sigfd, struct stream *streams, struct log *lg) {
    int status = 0, reaped = 0, in = pl->tty && pl->stdio[0] == S_INHERIT ? 0 : -1; /* relayed to the terminal */
    char buf[4096];
    size_t pending = 0; /* input the (non-blocking) terminal has not taken yet: read no more until it has */
    while (!reaped || streams[0].fd >= 0 || streams[1].fd >= 0) {
        struct pollfd p[5] = {{sigfd, POLLIN, 0}, {ctl, POLLIN, 0}, {streams[0].fd, POLLIN | (pending ? POLLOUT : 0), 0},
                              {streams[1].fd, POLLIN, 0}, {pending ? -1 : in, POLLIN, 0}};
        if (reaped) { /* the container is gone: take what its pipes still hold, do not wait for strays */
            for (int i = 0; i < 2; i++) {
                if (streams[i].fd >= 0) fcntl(streams[i].fd, F_SETFL, O_NONBLOCK);
                while (streams[i].fd >= 0 && pump(&streams[i], lg) > 0) {}
                if (streams[i].fd >= 0) finish(&streams[i], lg);
            }
            break;
        }
        if (poll(p, 5, -1) < 0 && errno != EINTR) break; /* EINTR leaves every revents 0 */
        if (p[0].revents) {
            struct signalfd_siginfo si;
            int st, w;
            if (read(sigfd, &si, sizeof si) < 0 && errno != EAGAIN) break;
            while ((w = waitpid(-1, &st, WNOHANG)) > 0)
                if (w == child) status = st, reaped = 1;
        }
        if (ctl >= 0 && p[1].revents) {
            int32_t arg = 0;
            uint32_t type = recv_msg(&arg);
            if (type == 0) { /* the JVM is gone */
                close(ctl), ctl = -1;
                if (pl->lifetime == SANDBOX && !reaped) kill(child, SIGKILL);
            } else if (type == MSG_SIGNAL && !reaped && arg > 0 && arg < 65) {
                kill(child, arg);
            } else if (type == MSG_RESIZE && pl->tty) { /* rows << 16 | cols; the kernel sends SIGWINCH */
                struct winsize ws = {(unsigned short)((uint32_t)arg >> 16), (unsigned short)arg, 0, 0};
                ioctl(streams[0].fd, TIOCSWINSZ, &ws);
            }
        }
        ssize_t n = in >= 0 && p[4].revents ? read(in, buf, sizeof buf) : -1;
        if (n > 0) pending = (size_t)n;
        else if (n == 0 || (p[4].revents && errno != EINTR && errno != EAGAIN)) in = -1;
        if (pending && streams[0].fd >= 0 && (n = write(streams[0].fd, buf, pending)) > 0)
            memmove(buf, buf + n, pending -= (size_t)n);
        else if (streams[0].fd < 0) pending = 0;
        for (int i = 0; i < 2; i++)
            if (streams[i].fd >= 0 && p[2 + i].revents) pump(&streams[i], lg);
    }
    return status;
}

static long now_ms(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec * 1000L + t.tv_nsec / 1000000; }
/* The JVM leaves <state>/stop before it stops or kills a container: a user's stop is never undone by a restart. */
static int stop_asked(int statefd) { return statefd >= 0 && faccessat(statefd, "stop", F_OK, 0) == 0; }

/* Docker's policies: on-failure restarts after a non-zero exit, up to max (0: no limit); always (and
 * unless-stopped, the same without a daemon) after any exit. Never after a stop, nor for a sandbox whose JVM left. */
static int restart_due(const struct plan *pl, int code, uint32_t restarts, int statefd) {
    if (!pl->restart || (pl->lifetime == SANDBOX && ctl < 0) || stop_asked(statefd)) return 0;
    return pl->restart == R_ALWAYS || (code != 0 && (!pl->max_restarts || restarts < pl->max_restarts));
}

/* Waits ms before a restart, listening to the JVM; 0 when the restart is off meanwhile. */
static int backoff(const struct plan *pl, int statefd, long ms) {
    int32_t arg;
    for (long end = now_ms() + ms, left; (left = end - now_ms()) > 0;) {
        struct pollfd p = {ctl, POLLIN, 0};
        if (poll(&p, ctl >= 0, left < 100 ? (int)left : 100) > 0 && recv_msg(&arg) == 0) close(ctl), ctl = -1;
        if ((pl->lifetime == SANDBOX && ctl < 0) || stop_asked(statefd)) return 0;
    }
    return 1;
}

static int write_time_offsets(const struct plan *pl) { /* in one write(2), as the kernel wants: dprintf buffers */
    int fd = open("/proc/self/timens_offsets", O_WRONLY | O_CLOEXEC);
    int ok = fd >= 0 && dprintf(fd, "monotonic %lld %u\nboottime %lld %u\n", (long long)pl->mono_sec, pl->mono_nsec,
                                (long long)pl->boot_sec, pl->boot_nsec) > 0;
    if (fd >= 0) close(fd);
    return ok ? 0 : -1;
}

struct clone_args_v2 {
    uint64_t flags, pidfd, child_tid, parent_tid, exit_signal, stack, stack_size, tls, set_tid, set_tid_size, cgroup;
};

/* A prepared launch ("--prepared"): on cgroup v1 the first cgroup.procs write of a process waits ~10 ms for an RCU
 * grace period. A placeholder, the zygote, takes that wait ahead of time: the JVM puts it in the container's cgroups
 * before the plan comes. It shares our memory and descriptors (CLONE_VM | CLONE_FILES), so it clone3()s the container
 * process just as we would, with CLONE_PARENT (we stay its parent and reaper; we never join its cgroups), and exits. */
static struct { pid_t pid, monitor; int req[2], err; long ret; struct clone_args_v2 args; struct launch *l; } zy;
static char zstack[1 << 18] __attribute__((aligned(16))); /* run_child's stack too, in its copy of our memory */

static int zygote(__attribute__((unused)) void *arg) {
    char go;
    if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0 || getppid() != zy.monitor || read(zy.req[0], &go, 1) != 1) _exit(1);
    zy.args.flags |= CLONE_PARENT, zy.args.exit_signal = 0; /* the kernel takes ours (SIGCHLD) with CLONE_PARENT */
    if ((zy.ret = syscall(SYS_clone3, &zy.args, sizeof zy.args)) == 0) run_child(zy.l);
    zy.err = errno, _exit(0);
}

static pid_t zygote_clone(struct clone_args_v2 *args, struct launch *l) {
    zy.args = *args, zy.l = l, zy.ret = -1, zy.err = ECHILD;
    if (write(zy.req[1], "g", 1) != 1 || waitpid(zy.pid, NULL, 0) != zy.pid) return -1;
    zy.pid = 0; /* used once: a restart clones by itself */
    return zy.ret < 0 ? (errno = zy.err, -1) : (pid_t)zy.ret;
}

/* Creates the container process and lets it run to execve; returns its pid, -1 when a first start failed (reported).
 * A first start syncs with the JVM (id maps, v1 cgroups, network). A restart has no JVM: the monitor puts the process
 * in the plan's v1 cgroups itself, and a failure before execve is an exit (127) for the policy to judge. */
static pid_t spawn(struct launch *l, struct stream *streams, uint64_t flags, int cgfd, int restart) {
    struct plan *pl = l->pl;
    char path[4200];
    int32_t arg;
    int fd;
    for (int i = 0; i < 2; i++)
        if (!pl->tty && (pl->stdio[i + 1] & S_LOG) && pipe2(l->out[i], O_CLOEXEC) < 0) return send_error(errno, "pipe"), -1;
    if (pl->tty && socketpair(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0, l->ttyp) < 0) return send_error(errno, "socketpair"), -1;
    if (pipe2(l->errp, O_CLOEXEC) < 0 || pipe2(l->syncp, O_CLOEXEC) < 0) return send_error(errno, "pipe"), -1;
    struct clone_args_v2 args = {.flags = flags, .exit_signal = SIGCHLD, .cgroup = (uint64_t)(cgfd < 0 ? 0 : cgfd)};
    pid_t child = zy.pid > 0 ? zygote_clone(&args, l) : (pid_t)syscall(SYS_clone3, &args, sizeof args);
    if (child < 0) return send_error(errno, "clone3"), -1;
    if (child == 0) run_child(l);
    close(l->errp[1]), close(l->syncp[0]);
    if (pl->tty) close(l->ttyp[1]);
    for (uint32_t i = 0; i < pl->njoins && !pl->restart; i++) /* a restart joins them again */
        if (pl->joins[i].fd >= 0) close(pl->joins[i].fd);
    for (int i = 0; i < 2; i++) {
        if (l->out[i][1] >= 0) close(l->out[i][1]);
        streams[i].fd = l->out[i][0];
        streams[i].out = pl->stdio[i + 1] == S_LOG_AND_INHERIT ? i + 1 : -1;
    }
    for (char **d = restart ? pl->cgroup_dirs : NULL; d && *d; d++) { /* on failure it dies before execve */
        snprintf(path, sizeof path, "%s/cgroup.procs", *d);
        if ((fd = open(path, O_WRONLY | O_CLOEXEC)) < 0 || dprintf(fd, "%d", child) < 0) kill(child, SIGKILL);
        if (fd >= 0) close(fd);
    }
    if (!restart && pl->restart && (flags & CLONE_NEWNET)) /* kept for restarts; opened while the child waits for go */
        snprintf(path, sizeof path, "/proc/%d/ns/net", child), l->netfd = open(path, O_RDONLY | O_CLOEXEC);
    if (!restart) send_msg(MSG_CHILD, child, getpid(), NULL);
    if (!restart && recv_msg(&arg) != MSG_GO) /* aborted, or the JVM died during the sync */
        return kill(child, SIGKILL), waitpid(child, NULL, 0), -1;
    if (write(l->syncp[1], "g", 1) != 1 && !restart) return send_error(errno, "write(sync)"), -1;
    close(l->syncp[1]);

    struct child_error e;
    ssize_t got;
    while ((got = read(l->errp[0], &e, sizeof e)) < 0 && errno == EINTR) {}
    close(l->errp[0]);
    if (got > 0 && !restart) { /* the child failed before execve; it has exited */
        waitpid(child, NULL, 0);
        e.stage[sizeof e.stage - 1] = '\0';
        return send_error(e.err, "%s: %s", e.stage, strerror(e.err)), -1;
    }
    if (pl->tty) { /* sent before execve, so it is there now */
        streams[0].fd = pass_fd(l->ttyp[0], -1), streams[0].out = pl->stdio[1] & S_INHERIT ? 1 : -1;
        fcntl(streams[0].fd, F_SETFL, O_NONBLOCK), close(l->ttyp[0]);
    }
    return child;
}

static int launch(struct plan *pl) {
    struct launch l = {.pl = pl, .devnull = -1, .out = {{-1, -1}, {-1, -1}}, .ttyp = {-1, -1}, .netfd = -1};
    struct stream streams[2] = {{-1, -1, "stdout", 0, ""}, {-1, -1, "stderr", 0, ""}};
    struct log lg = {-1, pl->log_path, 0, pl->log_max_size, pl->log_max_files};
    uint64_t flags = pl->clone_flags;
    int statefd = -1, cgfd = -1, sigfd, status, code;
    sigset_t chld;
    struct stat st;

    if ((l.devnull = open("/dev/null", O_RDWR | O_CLOEXEC)) < 0) return send_error(errno, "open(/dev/null)");
    if (pl->log_path) {
        if ((lg.fd = open(pl->log_path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640)) < 0)
            return send_error(errno, "open(%s)", pl->log_path);
        if (fstat(lg.fd, &st) == 0) lg.size = (uint64_t)st.st_size;
    }
    if (pl->state_dir && (statefd = open(pl->state_dir, O_PATH | O_DIRECTORY | O_CLOEXEC)) < 0)
        return send_error(errno, "open(%s)", pl->state_dir);
    if (pl->cgroup) {
        if ((cgfd = open(pl->cgroup, O_PATH | O_DIRECTORY | O_CLOEXEC)) < 0) return send_error(errno, "open(%s)", pl->cgroup);
        flags |= INTO_CGROUP;
    }
    /* pid and time namespaces apply to children: join or create them here; the child joins the rest */
    for (uint32_t i = 0; i < pl->njoins; i++) {
        struct join *j = &pl->joins[i];
        if ((j->fd = open(j->path, O_RDONLY | O_CLOEXEC)) < 0) return send_error(errno, "open(%s)", j->path);
        if (j->nstype == CLONE_NEWPID || j->nstype == CLONE_NEWTIME) {
            if (setns(j->fd, (int)j->nstype) < 0) return send_error(errno, "setns(%s)", j->path);
            close(j->fd), j->fd = -1;
        }
    }
    if (flags & CLONE_NEWTIME) {
        if (unshare(CLONE_NEWTIME) < 0) return send_error(errno, "unshare(CLONE_NEWTIME)");
        if (pl->has_timens && write_time_offsets(pl) < 0) return send_error(errno, "write(timens_offsets)");
        flags &= ~(uint64_t)CLONE_NEWTIME;
    }
    flags &= ~(uint64_t)CLONE_NEWCGROUP; /* the child unshares it once it is in its cgroup */
    sigemptyset(&chld), sigaddset(&chld, SIGCHLD), sigprocmask(SIG_BLOCK, &chld, NULL);
    if ((sigfd = signalfd(-1, &chld, SFD_CLOEXEC | SFD_NONBLOCK)) < 0) return send_error(errno, "signalfd");

    pid_t child = spawn(&l, streams, flags, cgfd, 0);
    if (child < 0) return 1;
    send_msg(MSG_STARTED, child, 0, NULL);
    char ns[32];
    snprintf(ns, sizeof ns, "/proc/%d/ns/net", child); /* names l.netfd in errors */
    uint32_t restarts = 0;
    for (long delay = 0, began;; restarts++) {
        if (pl->restart) write_record(statefd, "restart.json", "{\"restartCount\":%u,\"pid\":%d}\n", restarts, child);
        began = now_ms();
        status = monitor(pl, child, sigfd, streams, &lg);
        code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
        /* Docker's back-off: 100 ms, doubled on each restart up to a minute, back to 100 ms after 10 s of running */
        delay = !delay || now_ms() - began >= 10000 ? 100 : delay * 2 > 60000 ? 60000 : delay * 2;
        if (!restart_due(pl, code, restarts, statefd)) break;
        write_record(statefd, "restart.json", "{\"restartCount\":%u,\"pid\":0}\n", restarts);
        if (!backoff(pl, statefd, delay)) break;
        if (l.netfd >= 0 && (flags & CLONE_NEWNET)) { /* keep the network the JVM set up */
            pl->joins[pl->njoins++] = (struct join){CLONE_NEWNET, ns, l.netfd};
            flags &= ~(uint64_t)CLONE_NEWNET;
        }
        if ((child = spawn(&l, streams, flags, cgfd, 1)) < 0) break;
    }
    char ts[64];
    int sig = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
    timestamp(ts, sizeof ts);
    write_record(statefd, "exit.json", "{\"exitCode\":%d,\"signal\":%d,\"pid\":%d,\"finishedAt\":\"%s\",\"restartCount\":%u}\n",
                 code, sig, (int)child, ts, restarts);
    send_msg(MSG_EXITED, code, sig, NULL);
    return 0;
}

int main(int argc, char **argv) {
    struct plan pl;
    size_t len;
    uint8_t *buf;
    if (argc == 2 && !strcmp(argv[1], "--parse-only")) return parse_only();
    if (argc != 1 && (argc != 2 || strcmp(argv[1], "--prepared"))) {
        fputs("usage: jc-launch [--prepared] (plan on the socket at fd 3) | jc-launch --parse-only < plan\n", stderr);
        return 2;
    }
    /* Nothing of the JVM's beyond stdio and the control socket may reach the container. */
    close_range(CTL_FD + 1, ~0U, 0);
    signal(SIGPIPE, SIG_IGN);
    if (argc == 2) { /* the zygote reports to us first; the JVM learns its pid now, the plan comes when it starts */
        zy.monitor = getpid();
        if (pipe2(zy.req, O_CLOEXEC) < 0 ||
            (zy.pid = clone(zygote, zstack + sizeof zstack, CLONE_VM | CLONE_FILES | SIGCHLD, NULL)) < 0)
            return send_error(errno, "clone(zygote)"), 2;
        send_msg(MSG_ZYGOTE, zy.pid, zy.monitor, NULL);
    }
    if (!(buf = recv_plan(&len))) return send_error(EPROTO, "%s", errbuf), 2;
    if (parse_plan(buf, len, &pl) < 0) return send_error(EINVAL, "invalid plan: %s", errbuf), 2;
    if (zy.pid && (pl.lifetime == DETACHED || has_ns(&pl, CLONE_NEWTIME) || joins(&pl, CLONE_NEWPID)))
        return send_error(EINVAL, "a prepared launch takes a sandbox that joins no pid namespace and has no time namespace"), 2;
    if (pl.lifetime == DETACHED) { /* leave the JVM's process tree and session; survive its death */
        pid_t p = fork();
        if (p < 0) return send_error(errno, "fork");
        if (p > 0) _exit(0);
        setsid();
    }
    prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
    return launch(&pl);
}
