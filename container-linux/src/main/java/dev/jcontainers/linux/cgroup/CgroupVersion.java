package dev.jcontainers.linux.cgroup;

/** Which cgroup interface limits are written through. */
public enum CgroupVersion {
    /** One hierarchy per controller (also "hybrid" hosts whose cgroup2 mount holds no controllers we use). */
    V1,
    /** The unified hierarchy: one tree, controllers enabled per subtree. */
    V2
}
