package dev.jcontainers.linux.mount;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

class MountInfoTest {

    @Test
    void parsesAllFieldsOfALineWithPropagationTags() {
        MountInfo m = MountInfo.parseLine(
                "36 35 98:0 /mnt1 /mnt2 rw,noatime master:1 shared:7 - ext3 /dev/root rw,errors=continue");
        assertThat(m.mountId()).isEqualTo(36);
        assertThat(m.parentId()).isEqualTo(35);
        assertThat(m.major()).isEqualTo(98);
        assertThat(m.minor()).isEqualTo(0);
        assertThat(m.root()).isEqualTo("/mnt1");
        assertThat(m.mountPoint()).isEqualTo(Path.of("/mnt2"));
        assertThat(m.mountOptions()).isEqualTo("rw,noatime");
        assertThat(m.optionalFields()).containsExactly("master:1", "shared:7");
        assertThat(m.isShared()).isTrue();
        assertThat(m.isSlave()).isTrue();
        assertThat(m.fsType()).isEqualTo("ext3");
        assertThat(m.source()).isEqualTo("/dev/root");
        assertThat(m.superOptions()).isEqualTo("rw,errors=continue");
        assertThat(m.superOption("errors")).contains("continue");
        assertThat(m.isReadOnly()).isFalse();
    }

    @Test
    void parsesALineWithoutOptionalFields() {
        MountInfo m = MountInfo.parseLine("22 27 0:21 / /proc ro,relatime - proc proc rw");
        assertThat(m.optionalFields()).isEmpty();
        assertThat(m.isShared()).isFalse();
        assertThat(m.isReadOnly()).isTrue();
        assertThat(m.fsType()).isEqualTo("proc");
    }

    @Test
    void undoesTheKernelsOctalEscapes() {
        MountInfo m = MountInfo.parseLine(
                "100 27 0:50 /a\\134b /tmp/with\\040space\\011tab\\012nl rw - tmpfs my\\040src rw");
        assertThat(m.root()).isEqualTo("/a\\b");
        assertThat(m.mountPoint()).isEqualTo(Path.of("/tmp/with space\ttab\nnl"));
        assertThat(m.source()).isEqualTo("my src");
    }

    @Test
    void decodesEscapedBytesOfMultiByteCharactersAsUtf8() {
        assertThat(MountInfo.unescape("/caf\\303\\251")).isEqualTo("/café");
        assertThat(MountInfo.unescape("/plain\\")).isEqualTo("/plain\\");
        assertThat(MountInfo.unescape("/not\\08octal")).isEqualTo("/not\\08octal");
    }

    @Test
    void rejectsMalformedLines() {
        assertThatThrownBy(() -> MountInfo.parseLine("36 35 98:0 /mnt1 /mnt2 rw,noatime ext3 /dev/root rw"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("malformed");
        assertThatThrownBy(() -> MountInfo.parseLine("x 35 98:0 / / rw - ext3 /dev/root rw"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void readsThisProcessAndAnotherProcessByPid() {
        List<MountInfo> self = MountInfo.self();
        assertThat(self).anyMatch(m -> m.mountPoint().equals(Path.of("/")));
        assertThat(self).anyMatch(m -> m.mountPoint().equals(Path.of("/proc")) && m.fsType().equals("proc"));
        assertThat(MountInfo.ofProcess(ProcessHandle.current().pid())).isEqualTo(self);
    }
}
