package dev.jcontainers.api;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * Builds a new image in the local store from a base image (or scratch), directories packed as layers, and
 * config changes, as {@code docker commit} or a Dockerfile without RUN would. Made by
 * {@link Images#buildFrom(String)} or {@link Images#buildFromScratch()}; {@link #build()} writes the layers,
 * config and manifest (OCI) into the store and tags the image.
 */
public interface ImageBuilder {
    /**
     * Packs the directory's tree (its root is the image's {@code /}) into a new top layer. An overlayfs upper
     * directory works too: its whiteouts and opaque directories become OCI deletions.
     */
    ImageBuilder addLayer(Path directory);

    /** Sets one environment variable, replacing the base image's value for the same name. */
    ImageBuilder env(String name, String value);

    /**
     * The default command. Setting only {@link #entrypoint} clears an inherited command, as Docker's
     * ENTRYPOINT does.
     */
    ImageBuilder cmd(List<String> command);

    ImageBuilder entrypoint(List<String> entrypoint);

    ImageBuilder workingDir(String directory);

    /** {@code user}, {@code uid}, {@code user:group} or {@code uid:gid}. */
    ImageBuilder user(String user);

    ImageBuilder label(String name, String value);

    /** A port such as {@code 8080} or {@code 53/udp} (tcp if no protocol is given). */
    ImageBuilder exposePort(String port);

    ImageBuilder volume(String containerPath);

    /**
     * The image's {@code HEALTHCHECK}, replacing the base image's; {@link HealthCheck#NONE} disables an
     * inherited one. Unset timings are left for the container to default, as Docker writes them.
     */
    ImageBuilder healthCheck(HealthCheck check);

    /** Written into the history entries of this build ({@code created_by}), as a Dockerfile line would be. */
    ImageBuilder createdBy(String description);

    /** The image's creation time (default: now); a fixed value gives the same image ID for the same input. */
    ImageBuilder created(Instant created);

    /** A name for the new image; at least one is needed. */
    ImageBuilder tag(String name);

    /** Writes the image into the store and tags it. */
    ImageSummary build();
}
