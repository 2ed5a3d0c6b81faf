package dev.jcontainers.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.jcontainers.api.ContainerException;
import dev.jcontainers.api.Engine;
import dev.jcontainers.api.ImageDetails;
import dev.jcontainers.api.ImageRuntimeConfig;
import dev.jcontainers.api.LayerInfo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Prints Docker's inspect JSON (the keys {@code docker image inspect} has, where we know the value). */
@Command(name = "inspect", description = "Display detailed information on one or more images.")
class InspectCommand extends EngineCommand {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Parameters(arity = "1..*", paramLabel = "IMAGE")
    List<String> images;

    @Override
    Integer run(Engine engine) throws Exception {
        List<Object> result = new ArrayList<>();
        int code = 0;
        for (String image : images) {
            try {
                result.add(toJson(engine.images().inspect(image)));
            } catch (ContainerException e) {
                spec.commandLine().getErr().println("Error: " + e.getMessage());
                code = 1;
            }
        }
        out().println(JSON.writeValueAsString(result));
        out().flush();
        return code;
    }

    static Map<String, Object> toJson(ImageDetails d) {
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
