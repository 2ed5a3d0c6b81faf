package dev.jcontainers.linux.cgroup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The host's cgroup hierarchies and the factory of container cgroups in them. Every cgroup it makes
 * lives below a parent of ours ({@link #DEFAULT_PARENT} unless told otherwise); nothing else on the
 * host is written to, except enabling controllers in the v2 root's {@code cgroup.subtree_control},
 * which a child cgroup cannot use them without.
 */
public final class Cgroups {

    public static final String DEFAULT_PARENT = "jcontainers";

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,254}");

    private final CgroupLayout layout;
    private final ControlFiles files;

    private Cgroups(CgroupLayout layout, CgroupFs fs) {
        this.layout = layout;
        this.files = new ControlFiles(fs);
    }

    /** Detects the layout of this host from {@code /proc/self/mountinfo}. */
    public static Cgroups detect() {
        try {
            return of(CgroupLayout.parse(Files.readString(Path.of("/proc/self/mountinfo")),
                    Files.readString(Path.of("/proc/filesystems"))));
        } catch (IOException e) {
            throw new CgroupException("cannot read the mount table: " + e.getMessage(), e);
        }
    }

    public static Cgroups of(CgroupLayout layout) {
        return new Cgroups(layout, CgroupFs.HOST);
    }

    /** For tests: the same logic over another file system (a fake cgroupfs tree). */
    static Cgroups of(CgroupLayout layout, CgroupFs fs) {
        return new Cgroups(layout, fs);
    }

    public CgroupLayout layout() {
        return layout;
    }

    public CgroupVersion version() {
        return layout.version();
    }

    /**
     * Creates cgroup {@code parent/name} in every hierarchy we use and writes {@code limits}. The parent
     * (one or more path segments) is created if missing and kept afterwards; the cgroup itself must not
     * exist yet. On failure nothing of the new cgroup is left behind.
     */
    public CgroupManager create(String parent, String name, CgroupLimits limits) {
        String relative = relativePath(parent, name);
        return switch (layout.version()) {
            case V1 -> CgroupV1Manager.create(files, layout, parentSegments(parent), relative, limits);
            case V2 -> CgroupV2Manager.create(files, layout.unified().orElseThrow(), parentSegments(parent),
                    relative, limits);
        };
    }

    /**
     * Renames cgroup v1 {@code cgroup} to {@code parent/name} in every hierarchy (its processes stay in it), e.g. a
     * cgroup prepared ahead of time under a placeholder name; {@code name} must not exist yet. cgroup v2 has no
     * rename: {@link UnsupportedOperationException} there.
     */
    public CgroupManager rename(CgroupManager cgroup, String parent, String name) {
        if (!(cgroup instanceof CgroupV1Manager v1)) {
            throw new UnsupportedOperationException("cgroup v2 cannot rename " + cgroup);
        }
        return v1.renameTo(CgroupV1Manager.open(files, layout, relativePath(parent, name)));
    }

    /** The names of the cgroups under {@code parent} (of the first hierarchy we use; all hold the same). */
    public List<String> children(String parent) {
        parentSegments(parent);
        Path dir = roots().iterator().next().resolve(parent);
        if (!files.exists(dir)) {
            return List.of();
        }
        try (var children = Files.list(dir)) {
            return children.filter(Files::isDirectory).map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new CgroupException("cannot list " + dir + ": " + e.getMessage(), e);
        }
    }

    /** The existing cgroup {@code parent/name}, e.g. of a container started by an earlier JVM. */
    public CgroupManager open(String parent, String name) {
        String relative = relativePath(parent, name);
        CgroupManager manager = switch (layout.version()) {
            case V1 -> CgroupV1Manager.open(files, layout, relative);
            case V2 -> new CgroupV2Manager(files, layout.unified().orElseThrow().resolve(relative), relative);
        };
        if (!manager.exists()) {
            throw new CgroupException("no cgroup " + relative);
        }
        return manager;
    }

    /**
     * Removes our parent cgroup from every hierarchy if no container cgroup is left in it; true if it is
     * gone (or was never there). Only the last segment of a nested parent is removed. Call it when no
     * cgroup is being created under this parent.
     */
    public boolean removeParent(String parent) {
        parentSegments(parent);
        // The kernel refuses (EBUSY) to remove a cgroup that has a child: one rmdir per hierarchy, no listing.
        // Should another engine create a child meanwhile, the parent may stay in some hierarchies only; that is
        // harmless, as create() makes the parent again wherever it is missing.
        for (Path root : roots()) {
            if (!files.removeDirIfUnused(root.resolve(parent))) {
                return false;
            }
        }
        return true;
    }

    private Collection<Path> roots() {
        return switch (layout.version()) {
            case V1 -> CgroupV1Manager.usedMounts(layout);
            case V2 -> List.of(layout.unified().orElseThrow());
        };
    }

    private static String relativePath(String parent, String name) {
        parentSegments(parent);
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("invalid cgroup name \"" + name + "\"");
        }
        return parent + "/" + name;
    }

    private static String[] parentSegments(String parent) {
        if (parent == null || parent.isEmpty()) {
            throw new IllegalArgumentException("a cgroup parent is required (the host's root cgroup is not ours)");
        }
        String[] segments = parent.split("/", -1);
        for (String segment : segments) {
            if (!NAME.matcher(segment).matches()) {
                throw new IllegalArgumentException("invalid cgroup parent \"" + parent + "\"");
            }
        }
        return segments;
    }
}
