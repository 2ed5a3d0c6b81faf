package dev.jcontainers.cli;

import dev.jcontainers.api.DataSize;
import dev.jcontainers.api.MountSpec;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MountParserTest {
    @Test
    void volumeFlagMakesBindsForAbsoluteSourcesAndVolumesOtherwise() {
        assertThat(MountParser.volume("/srv/data:/data")).isEqualTo(new MountSpec.Bind("/srv/data", "/data", false));
        assertThat(MountParser.volume("/srv/data:/data:ro")).isEqualTo(new MountSpec.Bind("/srv/data", "/data", true));
        assertThat(MountParser.volume("cache:/cache:rw")).isEqualTo(new MountSpec.Volume("cache", "/cache", false));
        assertThat(MountParser.volume("/anonymous")).isEqualTo(new MountSpec.Volume(null, "/anonymous", false));
        assertThatThrownBy(() -> MountParser.volume("/a:relative")).hasMessageContaining("must be absolute");
        assertThatThrownBy(() -> MountParser.volume("/a:/b:z")).hasMessageContaining("unsupported volume option 'z'");
        assertThatThrownBy(() -> MountParser.volume("/a:/b:ro:x")).hasMessageContaining("invalid volume");
    }

    @Test
    void mountFlagTakesDockersFieldsAndAliases() {
        assertThat(MountParser.mount("type=bind,src=/a,dst=/b,readonly"))
                .isEqualTo(new MountSpec.Bind("/a", "/b", true));
        assertThat(MountParser.mount("type=bind,source=/a,target=/b,ro=false"))
                .isEqualTo(new MountSpec.Bind("/a", "/b", false));
        assertThat(MountParser.mount("type=tmpfs,destination=/t,tmpfs-size=64m,tmpfs-mode=1770"))
                .isEqualTo(new MountSpec.Tmpfs("/t", DataSize.ofMegabytes(64), 01770));
        assertThat(MountParser.mount("source=data,target=/d")).isEqualTo(new MountSpec.Volume("data", "/d", false));
        assertThatThrownBy(() -> MountParser.mount("type=bind,target=/b")).hasMessageContaining("needs a source");
        assertThatThrownBy(() -> MountParser.mount("type=bind,src=/a")).hasMessageContaining("needs a target");
        assertThatThrownBy(() -> MountParser.mount("type=bind,src=/a,dst=/b,bind-propagation=shared"))
                .hasMessageContaining("unsupported --mount field 'bind-propagation'");
        assertThatThrownBy(() -> MountParser.mount("type=npipe,dst=/b")).hasMessageContaining("unsupported mount type");
        assertThatThrownBy(() -> MountParser.mount("type=bind,src=/a,src=/c,dst=/b")).hasMessageContaining("duplicate");
    }

    @Test
    void tmpfsFlagTakesSizeAndOctalMode() {
        assertThat(MountParser.tmpfs("/run")).isEqualTo(new MountSpec.Tmpfs("/run", null, null));
        assertThat(MountParser.tmpfs("/run:rw,size=65536k,mode=755"))
                .isEqualTo(new MountSpec.Tmpfs("/run", DataSize.ofKilobytes(65536), 0755));
        assertThatThrownBy(() -> MountParser.tmpfs("/run:noexec")).hasMessageContaining("unsupported tmpfs option");
        assertThatThrownBy(() -> MountParser.tmpfs("/run:mode=9")).hasMessageContaining("octal");
        assertThatThrownBy(() -> MountParser.tmpfs("run")).hasMessageContaining("must be absolute");
    }
}
