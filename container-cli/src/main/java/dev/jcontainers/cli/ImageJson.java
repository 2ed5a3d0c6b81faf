package dev.jcontainers.cli;

import dev.jcontainers.api.ImageDetails;
import dev.jcontainers.api.ImageRuntimeConfig;
import dev.jcontainers.api.LayerInfo;

import java.util.LinkedHashMap;
import java.util.Map;

/** Docker's image inspect JSON (the keys {@code docker image inspect} has, where we know the value). */
final class ImageJson {
    private ImageJson() {
    }

    static Map<String, Object> of(ImageDetails d) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Id", d.id());
        m.put("RepoTags", d.repoTags());
        m.put("RepoDigests", d.repoDigests());
        m.put("Created", d.created() == null ? null : d.created().toString());
        m.put("Author", d.author() == null ? "" : d.author());
        ImageRuntimeConfig c = d.config();
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("User", c.user() == null ? "" : c.user());
        config.put("ExposedPorts", c.exposedPorts());
        config.put("Env", c.env());
        config.put("Entrypoint", c.entrypoint());
        config.put("Cmd", c.cmd());
        config.put("WorkingDir", c.workingDir() == null ? "" : c.workingDir());
        config.put("Volumes", c.volumes());
        config.put("Labels", c.labels());
        config.put("StopSignal", c.stopSignal());
        m.put("Config", config);
        m.put("Architecture", d.platform().architecture());
        if (d.platform().variant() != null) {
            m.put("Variant", d.platform().variant());
        }
        m.put("Os", d.platform().os());
        m.put("Size", d.size());
        Map<String, Object> rootfs = new LinkedHashMap<>();
        rootfs.put("Type", "layers");
        rootfs.put("Layers", d.layers().stream().map(LayerInfo::diffId).toList());
        m.put("RootFS", rootfs);
        m.put("Layers", d.layers().stream().map(l -> Map.of("Digest", l.digest(), "MediaType", l.mediaType(),
                "Size", l.size())).toList());
        Map<String, Object> descriptor = new LinkedHashMap<>();
        descriptor.put("mediaType", d.manifestMediaType());
        descriptor.put("digest", d.manifestDigest());
        m.put("Descriptor", descriptor);
        return m;
    }
}
