package dev.jcontainers.linux.cgroup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.nio.file.Files;
import java.util.List;

import org.junit.jupiter.api.Test;

class CgroupLayoutTest {

    private static final String FILESYSTEMS = "nodev\tsysfs\nnodev\tcgroup\nnodev\tcgroup2\n\text4\n";

    /** This machine: one hierarchy per v1 controller plus a cgroup2 mount holding only hugetlb. */
    private static final String HYBRID = """
            23 1 0:21 / /sys rw,nosuid,nodev,noexec,relatime - sysfs sysfs rw
            31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755
            32 31 0:29 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu
            33 31 0:30 / /sys/fs/cgroup/cpuacct rw,relatime - cgroup cgroup rw,cpuacct
            34 31 0:31 / /sys/fs/cgroup/cpuset rw,relatime - cgroup cgroup rw,cpuset
            35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory
            36 31 0:33 / /sys/fs/cgroup/devices rw,relatime - cgroup cgroup rw,devices
            37 31 0:34 / /sys/fs/cgroup/freezer rw,relatime - cgroup cgroup rw,freezer
            38 31 0:35 / /sys/fs/cgroup/blkio rw,relatime - cgroup cgroup rw,blkio
            39 31 0:36 / /sys/fs/cgroup/pids rw,relatime - cgroup cgroup rw,pids
            40 31 0:37 / /sys/fs/cgroup/systemd rw,relatime - cgroup cgroup rw,name=systemd
            41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw
            """;

    @Test
    void hybridHostIsDrivenThroughV1() {
        CgroupLayout layout = CgroupLayout.parse(HYBRID, FILESYSTEMS);

        assertThat(layout.version()).isEqualTo(CgroupVersion.V1);
        assertThat(layout.hybrid()).isTrue();
        assertThat(layout.unified()).contains(Path.of("/sys/fs/cgroup/unified"));
        assertThat(layout.v1Controllers()).containsOnlyKeys("cpu", "cpuacct", "cpuset", "memory", "devices",
                "freezer", "blkio", "pids");
        assertThat(layout.v1Controllers().get("memory")).isEqualTo(Path.of("/sys/fs/cgroup/memory"));
    }

    @Test
    void coMountedControllersShareOneHierarchy() {
        String mountinfo = """
                25 24 0:22 / /sys/fs/cgroup/cpu,cpuacct rw,nosuid,nodev,noexec,relatime shared:9 - cgroup cgroup rw,cpu,cpuacct
                26 24 0:23 / /sys/fs/cgroup/net_cls,net_prio rw,nosuid shared:10 - cgroup cgroup rw,net_cls,net_prio
                27 24 0:24 / /sys/fs/cgroup/memory rw,nosuid shared:11 - cgroup cgroup rw,clone_children,memory
                """;
        CgroupLayout layout = CgroupLayout.parse(mountinfo, FILESYSTEMS);

        assertThat(layout.version()).isEqualTo(CgroupVersion.V1);
        assertThat(layout.hybrid()).isFalse();
        assertThat(layout.v1Controllers().get("cpu")).isEqualTo(Path.of("/sys/fs/cgroup/cpu,cpuacct"));
        assertThat(layout.v1Controllers().get("cpuacct")).isEqualTo(Path.of("/sys/fs/cgroup/cpu,cpuacct"));
        assertThat(layout.v1Controllers()).doesNotContainKey("clone_children");
        // co-mounted controllers give one directory per container, not two
        assertThat(CgroupV1Manager.usedMounts(layout)).containsExactly(
                Path.of("/sys/fs/cgroup/memory"), Path.of("/sys/fs/cgroup/cpu,cpuacct"));
    }

    @Test
    void pureV2HostWithOnlyANamedV1HierarchyIsV2() {
        String mountinfo = """
                35 24 0:30 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:9 - cgroup2 cgroup2 rw,nsdelegate,memory_recursiveprot
                36 24 0:31 / /run/systemd/legacy rw,relatime - cgroup cgroup rw,name=systemd
                """;
        CgroupLayout layout = CgroupLayout.parse(mountinfo, FILESYSTEMS);

        assertThat(layout.version()).isEqualTo(CgroupVersion.V2);
        assertThat(layout.unified()).contains(Path.of("/sys/fs/cgroup"));
        assertThat(layout.v1Controllers()).isEmpty();
    }

    @Test
    void prefersSysFsCgroupAmongSeveralCgroup2Mounts() {
        String mountinfo = """
                50 24 0:30 / /mnt/other\\040cg rw - cgroup2 cgroup2 rw
                35 24 0:30 / /sys/fs/cgroup rw - cgroup2 cgroup2 rw
                """;
        assertThat(CgroupLayout.parse(mountinfo, FILESYSTEMS).unified()).contains(Path.of("/sys/fs/cgroup"));
        assertThat(CgroupLayout.parse(mountinfo.lines().findFirst().orElseThrow(), FILESYSTEMS).unified())
                .contains(Path.of("/mnt/other cg"));
    }

    @Test
    void unescapesOctalInMountPoints() {
        assertThat(CgroupLayout.unescape("/a\\040b\\011c\\134d")).isEqualTo("/a b\tc\\d");
        assertThat(CgroupLayout.unescape("/plain")).isEqualTo("/plain");
        assertThat(CgroupLayout.unescape("/trailing\\04")).isEqualTo("/trailing\\04");
    }

    @Test
    void noCgroupMountIsAnErrorThatSaysWhatTheKernelOffers() {
        String mountinfo = "23 1 0:21 / /sys rw - sysfs sysfs rw\n";
        assertThatThrownBy(() -> CgroupLayout.parse(mountinfo, FILESYSTEMS))
                .isInstanceOf(CgroupException.class).hasMessageContaining("kernel supports cgroup2");
        assertThatThrownBy(() -> CgroupLayout.parse(mountinfo, "nodev\tcgroup\n"))
                .isInstanceOf(CgroupException.class).hasMessageContaining("no cgroup2");
    }

    @Test
    void ignoresMalformedLines() {
        String mountinfo = "garbage\n\n1 2 3\n" + HYBRID;
        assertThat(CgroupLayout.parse(mountinfo, FILESYSTEMS).version()).isEqualTo(CgroupVersion.V1);
    }

    @Test
    void detectsThisHost() {
        CgroupLayout layout = Cgroups.detect().layout();
        System.out.println("[cgroup] host layout: " + layout.version() + (layout.hybrid() ? " (hybrid)" : "")
                + " v1=" + layout.v1Controllers().keySet() + " unified=" + layout.unified().map(Path::toString).orElse("-"));
        var roots = layout.version() == CgroupVersion.V2 ? List.of(layout.unified().orElseThrow())
                : CgroupV1Manager.usedMounts(layout);
        assertThat(roots).isNotEmpty().allMatch(Files::isDirectory);
    }
}
