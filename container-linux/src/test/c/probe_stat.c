/* Layouts of struct statfs and struct statx and the constants the Stat binding uses (see src/main/ffm/stat.txt). */
#define _GNU_SOURCE
#include <linux/magic.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/vfs.h>
#include "probe.h"

int main(void) {
    SIZEOF(statfs);
    OFFSETOF(statfs, f_type);
    OFFSETOF(statfs, f_bsize);
    OFFSETOF(statfs, f_blocks);
    OFFSETOF(statfs, f_bfree);
    OFFSETOF(statfs, f_bavail);
    OFFSETOF(statfs, f_files);
    OFFSETOF(statfs, f_ffree);
    OFFSETOF(statfs, f_fsid);
    OFFSETOF(statfs, f_namelen);
    OFFSETOF(statfs, f_frsize);
    OFFSETOF(statfs, f_flags);
    OFFSETOF(statfs, f_spare);

    CONSTANT(OVERLAYFS_SUPER_MAGIC); CONSTANT(TMPFS_MAGIC); CONSTANT(CGROUP_SUPER_MAGIC);
    CONSTANT(CGROUP2_SUPER_MAGIC); CONSTANT(PROC_SUPER_MAGIC); CONSTANT(SYSFS_MAGIC);
    CONSTANT(EXT4_SUPER_MAGIC); CONSTANT(XFS_SUPER_MAGIC); CONSTANT(BTRFS_SUPER_MAGIC);
    CONSTANT(ST_RDONLY); CONSTANT(ST_NOSUID); CONSTANT(ST_NODEV); CONSTANT(ST_NOEXEC);

    SIZEOF(statx);
    OFFSETOF(statx, stx_mask);
    OFFSETOF(statx, stx_blksize);
    OFFSETOF(statx, stx_attributes);
    OFFSETOF(statx, stx_nlink);
    OFFSETOF(statx, stx_uid);
    OFFSETOF(statx, stx_gid);
    OFFSETOF(statx, stx_mode);
    OFFSETOF(statx, stx_attributes_mask);
    CONSTANT(STATX_ATTR_MOUNT_ROOT); CONSTANT(AT_NO_AUTOMOUNT); CONSTANT(AT_STATX_SYNC_AS_STAT); CONSTANT(STATX_TYPE);
    CONSTANT(S_IFMT); CONSTANT(S_IFLNK); CONSTANT(S_IFDIR);
    return 0;
}
