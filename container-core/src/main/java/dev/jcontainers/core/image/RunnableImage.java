package dev.jcontainers.core.image;

import dev.jcontainers.oci.image.ImageConfig;

import java.nio.file.Path;
import java.util.List;

/** An image ready to be a container's root: its config and its unpacked layer directories, bottom first. */
public record RunnableImage(String id, String reference, ImageConfig config, List<Path> layerDirs) {
    public RunnableImage {
        layerDirs = List.copyOf(layerDirs);
    }
}
