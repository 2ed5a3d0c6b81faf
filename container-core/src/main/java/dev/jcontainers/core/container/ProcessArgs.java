package dev.jcontainers.core.container;

import dev.jcontainers.api.ContainerException;

import java.util.ArrayList;
import java.util.List;

/**
 * ENTRYPOINT and CMD combined exactly as Docker does: the process runs {@code entrypoint + cmd}. A
 * caller's command replaces the image's CMD; a caller's entrypoint replaces the image's ENTRYPOINT and
 * also drops the image's CMD (an empty entrypoint resets it). Shell-form instructions reach the image
 * config already wrapped as {@code ["/bin/sh", "-c", "..."]}, so no further wrapping happens here.
 */
public final class ProcessArgs {
    private ProcessArgs() {
    }

    public static List<String> resolve(List<String> imageEntrypoint, List<String> imageCmd,
                                       List<String> entrypoint, List<String> command) {
        List<String> ep = entrypoint != null ? entrypoint : orEmpty(imageEntrypoint);
        List<String> cmd;
        if (command != null && !command.isEmpty()) {
            cmd = command;
        } else if (entrypoint != null) {
            cmd = List.of();
        } else {
            cmd = orEmpty(imageCmd);
        }
        List<String> args = new ArrayList<>(ep);
        args.addAll(cmd);
        if (args.isEmpty()) {
            throw new ContainerException("no command specified: the image has no ENTRYPOINT or CMD and none was given");
        }
        return List.copyOf(args);
    }

    private static List<String> orEmpty(List<String> l) {
        return l == null ? List.of() : l;
    }
}
