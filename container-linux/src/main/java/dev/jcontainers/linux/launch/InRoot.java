package dev.jcontainers.linux.launch;

import dev.jcontainers.linux.ffm.Stat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Resolves a container path to a host path under a root directory, following symlinks as if the root were
 * {@code /} (an image's {@code /dev -> /etc} must not send a mount to the host's {@code /etc}). Sound for
 * mount targets as long as nothing runs in the rootfs yet, which is the case while a plan is built.
 */
public final class InRoot {
    private static final int MAX_LINKS = 40;

    private InRoot() {
    }

    public static Path resolve(Path root, String containerPath) {
        Deque<String> todo = new ArrayDeque<>(split(containerPath));
        List<String> done = new ArrayList<>();
        int links = 0;
        while (!todo.isEmpty()) {
            String part = todo.pop();
            if (part.equals("..")) {
                if (!done.isEmpty()) {
                    done.removeLast();
                }
                continue;
            }
            Path candidate = join(root, done).resolve(part);
            if (Stat.typeOf(candidate) == Stat.S_IFLNK) { // most mount targets do not exist yet: no exceptions
                if (++links > MAX_LINKS) {
                    throw new IllegalArgumentException("too many symlinks resolving " + containerPath + " in " + root);
                }
                String target = readLink(candidate);
                if (target.startsWith("/")) {
                    done.clear();
                }
                List<String> parts = split(target);
                for (int i = parts.size() - 1; i >= 0; i--) {
                    todo.push(parts.get(i));
                }
                continue;
            }
            done.add(part);
        }
        return join(root, done);
    }

    private static List<String> split(String path) {
        List<String> parts = new ArrayList<>();
        for (String p : path.split("/")) {
            if (!p.isEmpty() && !p.equals(".")) {
                parts.add(p);
            }
        }
        return parts;
    }

    private static Path join(Path root, List<String> parts) {
        return parts.isEmpty() ? root : root.resolve(String.join("/", parts));
    }

    private static String readLink(Path link) {
        try {
            return Files.readSymbolicLink(link).toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
