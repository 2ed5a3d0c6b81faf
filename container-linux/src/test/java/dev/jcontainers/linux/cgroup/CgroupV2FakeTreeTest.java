package dev.jcontainers.linux.cgroup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The v2 manager against a fake cgroup2 tree: which files it writes, in which format, and that it
 * enables controllers down the tree. (A real cgroup2 hierarchy with controllers cannot be mounted on
 * this host while the v1 hierarchies hold them.)
 */
class CgroupV2FakeTreeTest {

    @TempDir
    Path root;

    private FakeCgroupFs fs;
    private Cgroups cgroups;

    @BeforeEach
    void setUp() throws IOException {
        fs = new FakeCgroupFs(root, "cpuset cpu io memory hugetlb pids rdma misc");
        cgroups = Cgroups.of(new CgroupLayout(CgroupVersion.V2, Map.of(), Optional.of(root)), fs);
    }

    private String file(String relative) throws IOException {
        return Files.readString(root.resolve(relative)).strip();
    }

    @Test
    void pauseWritesCgroupFreezeAndReadsTheKernelsFrozenEvent() throws IOException {
        CgroupManager cgroup = cgroups.create("jcontainers", "paused", CgroupLimits.builder().build());
        assertThat(cgroup.frozen()).isFalse();
        cgroup.freeze();
        assertThat(file("jcontainers/paused/cgroup.freeze")).isEqualTo("1");
        assertThat(cgroup.frozen()).isTrue();
        cgroup.thaw();
        assertThat(file("jcontainers/paused/cgroup.freeze")).isEqualTo("0");
        assertThat(cgroup.frozen()).isFalse();
        assertThat(cgroup.directories()).containsExactly(root.resolve("jcontainers/paused"));
        cgroup.destroy();
        assertThat(cgroup.frozen()).as("a removed cgroup").isFalse();
    }

    @Test
    void createEnablesControllersDownTheTreeAndWritesLimitsInV2Formats() throws IOException {
        CgroupLimits limits = CgroupLimits.builder()
                .memory(64L << 20).memorySwap(96L << 20).memoryReservation(16L << 20)
                .cpus(0.5).cpuShares(1024).cpusetCpus("0-1").cpusetMems("0").pidsLimit(16).blkioWeight(500)
                .deviceReadBps(new DeviceRate(8, 0, 1_048_576)).deviceWriteIops(new DeviceRate(8, 0, 100))
                .deviceWriteBps(new DeviceRate(253, 1, 0))
                .build();

        CgroupManager cgroup = cgroups.create("jcontainers/nested", "c1", limits);

        assertThat(cgroup.version()).isEqualTo(CgroupVersion.V2);
        assertThat(cgroup.relativePath()).isEqualTo("jcontainers/nested/c1");
        assertThat(cgroup.path("memory")).isEqualTo(root.resolve("jcontainers/nested/c1"));
        // the root's other controllers (hugetlb, rdma, misc) are not ours to enable
        assertThat(file("cgroup.subtree_control")).isEqualTo("cpuset cpu io memory pids");
        assertThat(file("jcontainers/cgroup.subtree_control")).isEqualTo("cpuset cpu io memory pids");
        assertThat(file("jcontainers/nested/cgroup.subtree_control")).isEqualTo("cpuset cpu io memory pids");

        assertThat(file("jcontainers/nested/c1/memory.max")).isEqualTo(Long.toString(64L << 20));
        assertThat(file("jcontainers/nested/c1/memory.swap.max")).isEqualTo(Long.toString(32L << 20));
        assertThat(file("jcontainers/nested/c1/memory.low")).isEqualTo(Long.toString(16L << 20));
        assertThat(file("jcontainers/nested/c1/cpu.max")).isEqualTo("50000 100000");
        assertThat(file("jcontainers/nested/c1/cpu.weight")).isEqualTo("39");
        assertThat(file("jcontainers/nested/c1/cpuset.cpus")).isEqualTo("0-1");
        assertThat(file("jcontainers/nested/c1/cpuset.mems")).isEqualTo("0");
        assertThat(file("jcontainers/nested/c1/pids.max")).isEqualTo("16");
        assertThat(file("jcontainers/nested/c1/io.weight")).isEqualTo("default 4950");
        assertThat(Files.readAllLines(root.resolve("jcontainers/nested/c1/io.max")))
                .containsExactly("8:0 rbps=1048576 wiops=100", "253:1 wbps=max");
        System.out.println("[cgroup] v2 writes: " + fs.writes);
    }

    @Test
    void controllersAlreadyEnabledAreNotWrittenAgain() throws IOException {
        fs.write(root.resolve("cgroup.subtree_control"), "+memory");
        fs.writes.clear();
        cgroups.create("jcontainers", "c1", CgroupLimits.none());
        assertThat(fs.writes).filteredOn(w -> w.startsWith("cgroup.subtree_control"))
                .containsExactly("cgroup.subtree_control=+cpuset", "cgroup.subtree_control=+cpu",
                        "cgroup.subtree_control=+io", "cgroup.subtree_control=+pids");
    }

    @Test
    void updateWritesOnlyWhatIsGivenAndLiftsLimitsWithMax() throws IOException {
        CgroupManager cgroup = cgroups.create("jcontainers", "c1",
                CgroupLimits.builder().memory(32L << 20).cpus(2).pidsLimit(10).build());
        fs.writes.clear();

        cgroup.update(CgroupLimits.builder().memory(CgroupLimits.UNLIMITED).pidsLimit(CgroupLimits.UNLIMITED)
                .cpus(0).build());

        assertThat(file("jcontainers/c1/memory.max")).isEqualTo("max");
        assertThat(file("jcontainers/c1/pids.max")).isEqualTo("max");
        assertThat(file("jcontainers/c1/cpu.max")).isEqualTo("max 100000");
        assertThat(fs.writes).containsExactly("jcontainers/c1/memory.max=max", "jcontainers/c1/cpu.max=max 100000",
                "jcontainers/c1/pids.max=max");
    }

    @Test
    void swapAloneIsComputedAgainstTheCurrentMemoryLimit() throws IOException {
        CgroupManager cgroup = cgroups.create("jcontainers", "c1", CgroupLimits.builder().memory(100).build());
        cgroup.update(CgroupLimits.builder().memorySwap(250).build());
        assertThat(file("jcontainers/c1/memory.swap.max")).isEqualTo("150");

        cgroup.update(CgroupLimits.builder().memory(CgroupLimits.UNLIMITED).build());
        assertThatThrownBy(() -> cgroup.update(CgroupLimits.builder().memorySwap(250).build()))
                .isInstanceOf(CgroupException.class).hasMessageContaining("memorySwap");
    }

    @Test
    void statsAndOomComeFromTheKernelFiles() throws IOException {
        CgroupManager cgroup = cgroups.create("jcontainers", "c1", CgroupLimits.builder().memory(32L << 20).build());
        Path dir = cgroup.path("memory");
        assertThat(cgroup.oomKilled()).isFalse();

        fs.kernelSets(dir.resolve("memory.current"), "1048576\n");
        fs.kernelSets(dir.resolve("memory.peak"), "33554432\n");
        fs.kernelSets(dir.resolve("cpu.stat"), "usage_usec 1500\nuser_usec 1000\nsystem_usec 500\n");
        fs.kernelSets(dir.resolve("pids.current"), "3\n");
        fs.kernelSets(dir.resolve("memory.events"), "low 0\nhigh 0\nmax 12\noom 1\noom_kill 1\noom_group_kill 0\n");

        assertThat(cgroup.stats()).isEqualTo(new CgroupStats(1 << 20, 32L << 20, 32L << 20, 1_500_000, 3, 1));
        assertThat(cgroup.oomKilled()).isTrue();
    }

    @Test
    void limitOfAControllerTheHostLacksIsAnErrorNamingIt() throws IOException {
        FakeCgroupFs noIo = new FakeCgroupFs(root, "cpu memory pids");
        Cgroups limited = Cgroups.of(new CgroupLayout(CgroupVersion.V2, Map.of(), Optional.of(root)), noIo);
        assertThatThrownBy(() -> limited.create("jcontainers", "c1", CgroupLimits.builder().blkioWeight(100).build()))
                .isInstanceOf(CgroupException.class).hasMessageContaining("io");
        // the failed create leaves nothing behind
        assertThat(root.resolve("jcontainers/c1")).doesNotExist();
    }

    @Test
    void existingCgroupIsNotTakenOver() {
        cgroups.create("jcontainers", "c1", CgroupLimits.none());
        assertThatThrownBy(() -> cgroups.create("jcontainers", "c1", CgroupLimits.none()))
                .isInstanceOf(CgroupException.class).hasMessageContaining("exists already");
        assertThat(cgroups.open("jcontainers", "c1").exists()).isTrue();
        assertThatThrownBy(() -> cgroups.open("jcontainers", "c2")).isInstanceOf(CgroupException.class);
    }

    @Test
    void destroyWaitsForProcessesAndIsIdempotent() throws IOException {
        CgroupManager cgroup = cgroups.create("jcontainers", "c1", CgroupLimits.none());
        Path dir = cgroup.path("");
        cgroup.addProcess(4242);
        assertThat(cgroup.processes()).containsExactly(4242L);
        assertThatThrownBy(() -> cgroup.destroy(java.time.Duration.ofMillis(50)))
                .isInstanceOf(CgroupException.class).hasMessageContaining("4242");

        fs.kernelSets(dir.resolve("cgroup.procs"), "");
        cgroup.destroy();
        cgroup.destroy();
        assertThat(dir).doesNotExist();
        assertThat(cgroup.exists()).isFalse();
        assertThat(cgroups.removeParent("jcontainers")).isTrue();
        assertThat(root.resolve("jcontainers")).doesNotExist();
    }

    @Test
    void theParentStaysWhileAChildIsLeft() {
        CgroupManager cgroup = cgroups.create("jcontainers", "c1", CgroupLimits.none());
        assertThat(cgroups.removeParent("jcontainers")).isFalse();
        assertThat(root.resolve("jcontainers")).isDirectory();
        assertThat(cgroup.exists()).isTrue();
        cgroup.destroy();
        assertThat(cgroups.removeParent("jcontainers")).isTrue();
        assertThat(cgroups.removeParent("jcontainers")).as("already gone").isTrue();
    }

    @Test
    void namesThatEscapeOurParentAreRefused() {
        for (String parent : new String[] {"", "/abs", "a/../b", "..", "a//b", "a/"}) {
            assertThatThrownBy(() -> cgroups.create(parent, "c1", CgroupLimits.none()))
                    .as(parent).isInstanceOf(IllegalArgumentException.class);
        }
        for (String name : new String[] {"..", ".", "a/b", "", "x y"}) {
            assertThatThrownBy(() -> cgroups.create("jcontainers", name, CgroupLimits.none()))
                    .as(name).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
