package dev.jcontainers.cli;

import dev.jcontainers.api.BindPropagation;
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
        assertThat(MountParser.volume("/a:/b:ro,rslave")).isEqualTo(new MountSpec.Bind("/a", "/b", true, BindPropagation.RSLAVE));
        assertThat(MountParser.volume("/a:/b:shared")).isEqualTo(new MountSpec.Bind("/a", "/b", false, BindPropagation.SHARED));
        assertThat(MountParser.volume("/a:/b").equals(new MountSpec.Bind("/a", "/b", false, BindPropagation.RPRIVATE))).isTrue();
        assertThatThrownBy(() -> MountParser.volume("vol:/b:rshared")).hasMessageContaining("not volumes");
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
        assertThat(MountParser.mount("type=bind,src=/a,dst=/b,bind-propagation=rshared"))
                .isEqualTo(new MountSpec.Bind("/a", "/b", false, BindPropagation.RSHARED));
        assertThatThrownBy(() -> MountParser.mount("type=bind,src=/a,dst=/b,bind-propagation=public"))
                .hasMessageContaining("invalid bind propagation 'public'");
        assertThatThrownBy(() -> MountParser.mount("type=volume,src=v,dst=/b,bind-propagation=shared"))
                .hasMessageContaining("bind-propagation is for type=bind");
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
