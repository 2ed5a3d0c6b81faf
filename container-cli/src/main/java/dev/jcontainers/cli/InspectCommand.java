package dev.jcontainers.cli;

import dev.jcontainers.api.ContainerException;
import dev.jcontainers.api.ContainerNotFoundException;
import dev.jcontainers.api.Engine;
import dev.jcontainers.api.ImageNotFoundException;
import dev.jcontainers.api.InvalidReferenceException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.Map;

/** {@code jc inspect}: as Docker, a container of that name or ID first, else an image. */
@Command(name = "inspect", description = "Display detailed information on containers or images.")
class InspectCommand extends AbstractInspectCommand {
    enum Type { container, image }

    @Option(names = "--type", paramLabel = "container|image", description = "Only look for this type of object.")
    Type type;

    @Override
    Map<String, Object> inspect(Engine engine, String name) {
        if (type != Type.image) {
            try {
                return ContainerJson.of(engine.containers().get(name).inspect(), engine.networks().list());
            } catch (ContainerNotFoundException e) {
                if (type == Type.container) {
                    throw e;
                }
            }
        }
        try {
            return ImageJson.of(engine.images().inspect(name));
        } catch (ImageNotFoundException | InvalidReferenceException e) {
            if (type == Type.image) {
                throw e;
            }
            throw new ContainerException("No such object: " + name);
        }
    }
}
