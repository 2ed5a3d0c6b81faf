package dev.jcontainers.linux.launch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where the mount list sets propagation: the container's root, and each bind after it is mounted. */
class ContainerMountsTest {
    private static final Path ROOTFS = Path.of("/var/lib/jc/containers/c/rootfs");

    private static List<MountOp> propagationOps(List<MountOp> ops) {
        return ops.stream().filter(op -> op.kind() == MountOp.Kind.MOUNT && op.source().isEmpty()
                && (op.flags() & (MountOp.MS_PRIVATE | MountOp.MS_SHARED | MountOp.MS_SLAVE)) != 0).toList();
    }

    @Test
    void withoutSharedBindsTheWholeTreeBecomesASlaveAndBindsAreRprivateByDefault() {
        ContainerMounts.Bind bind = new ContainerMounts.Bind(Path.of("/srv"), "/data", false, true);
        List<MountOp> ops = propagationOps(ContainerMounts.standard(ROOTFS, false, true, true, List.of(bind)));
        assertThat(ops).extracting(MountOp::target, MountOp::flags).containsExactly(
                org.assertj.core.groups.Tuple.tuple("/", MountOp.MS_REC | MountOp.MS_SLAVE),
                org.assertj.core.groups.Tuple.tuple(ROOTFS + "/data", MountOp.MS_REC | MountOp.MS_PRIVATE));
    }

    @Test
    void aSharedBindKeepsTheHostPeerGroupAndOnlyTheRootfsTurnsPrivate() {
        ContainerMounts.Bind shared = new ContainerMounts.Bind(Path.of("/srv"), "/data", true, true,
                MountOp.MS_REC | MountOp.MS_SHARED);
        ContainerMounts.Bind slave = new ContainerMounts.Bind(Path.of("/opt"), "/opt", false, true, MountOp.MS_SLAVE);
        List<MountOp> ops = propagationOps(ContainerMounts.standard(ROOTFS, false, true, true, List.of(shared, slave)));
        assertThat(ops).extracting(MountOp::target, MountOp::flags).containsExactly(
                org.assertj.core.groups.Tuple.tuple(ROOTFS.toString(), MountOp.MS_REC | MountOp.MS_PRIVATE),
                org.assertj.core.groups.Tuple.tuple(ROOTFS + "/data", MountOp.MS_REC | MountOp.MS_SHARED),
                org.assertj.core.groups.Tuple.tuple(ROOTFS + "/opt", MountOp.MS_SLAVE));
    }

    @Test
    void aBindTakesExactlyOnePropagationType() {
        assertThatThrownBy(() -> new ContainerMounts.Bind(Path.of("/a"), "/a", false, true,
                MountOp.MS_SHARED | MountOp.MS_SLAVE)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ContainerMounts.Bind(Path.of("/a"), "/a", false, true, MountOp.MS_REC))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aFileBindTargetGetsItsParentDirectoryFirstForImagesWithoutOne() {
        ContainerMounts.Bind hostname = new ContainerMounts.Bind(Path.of("/run/c/hostname"), "/etc/hostname", false,
                false);
        List<MountOp> ops = ContainerMounts.standard(ROOTFS, false, true, true, List.of(hostname));
        String target = ROOTFS.resolve("etc/hostname").toString();
        int create = ops.indexOf(MountOp.createFile(target, 0644));
        int parent = ops.indexOf(MountOp.mkdir(ROOTFS.resolve("etc").toString(), 0755));
        assertThat(parent).isNotNegative().isLessThan(create);
    }

    @Test
    void anImagesSymlinksUnderProcAndSysDoNotMoveAMaskOffTheKernelsFile(@TempDir Path rootfs) throws IOException {
        // the image's own /proc and /sys are hidden by the proc and sysfs mounted over them: their links count for nothing
        Files.createDirectories(rootfs.resolve("proc"));
        Files.createDirectories(rootfs.resolve("sys"));
        Files.createDirectories(rootfs.resolve("tmp"));
        Files.createSymbolicLink(rootfs.resolve("proc/interrupts"), Path.of("/tmp/interrupts"));
        Files.createSymbolicLink(rootfs.resolve("proc/sys"), Path.of("/tmp"));
        assertThat(ContainerMounts.kernelInterface(rootfs, "/proc/interrupts")).isEqualTo(rootfs + "/proc/interrupts");
        assertThat(ContainerMounts.kernelInterface(rootfs, "/proc/sys")).isEqualTo(rootfs + "/proc/sys");
        assertThat(ContainerMounts.kernelInterface(rootfs, "/sys/firmware")).isEqualTo(rootfs + "/sys/firmware");
        // the mount point itself is the image's to place, inside the rootfs; dot-dot stays inside it too
        Files.delete(rootfs.resolve("sys"));
        Files.createSymbolicLink(rootfs.resolve("sys"), Path.of("/tmp"));
        assertThat(ContainerMounts.kernelInterface(rootfs, "/sys/firmware")).isEqualTo(rootfs + "/tmp/firmware");
        assertThat(ContainerMounts.kernelInterface(rootfs, "/proc/../../../etc/shadow")).isEqualTo(rootfs + "/etc/shadow");

        List<MountOp> ops = ContainerMounts.standard(rootfs, false, true, true, List.of(),
                new ContainerMounts.Confinement(List.of("/proc/interrupts"), List.of("/proc/sys"), true));
        assertThat(ops).contains(MountOp.bind("/dev/null", rootfs + "/proc/interrupts", false),
                MountOp.bind(rootfs + "/proc/sys", rootfs + "/proc/sys", true));
    }
}
