package dev.jcontainers.oci.archive;

import dev.jcontainers.api.MalformedContentException;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Names inside an image archive are relative, '/'-separated and must stay inside it. Anything else
 * ({@code ../x}, {@code /etc/passwd}, a symlink leading out) is rejected, naming the entry.
 */
final class ArchivePaths {
    private ArchivePaths() {
    }

    /** {@code ./a//b/} becomes {@code a/b}; absolute names and {@code ..} components are rejected. */
    static String normalize(String name) {
        if (name.startsWith("/") || name.indexOf('\0') >= 0) {
            throw escapes(name);
        }
        StringBuilder out = new StringBuilder();
        for (String part : name.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                throw escapes(name);
            }
            out.append(out.isEmpty() ? "" : "/").append(part);
        }
        return out.toString();
    }

    /** The archive name a symlink entry {@code link} with target {@code target} points at. */
    static String resolveLink(String link, String target) {
        if (target.startsWith("/")) {
            throw new MalformedContentException("archive entry \"" + link + "\" is a symlink to an absolute path ("
                    + target + ")");
        }
        Deque<String> parts = new ArrayDeque<>();
        String[] own = link.split("/");
        for (int i = 0; i < own.length - 1; i++) {
            parts.addLast(own[i]);
        }
        for (String part : target.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                if (parts.isEmpty()) {
                    throw new MalformedContentException("archive entry \"" + link + "\" is a symlink leading out"
                            + " of the archive (" + target + ")");
                }
                parts.removeLast();
            } else {
                parts.addLast(part);
            }
        }
        return String.join("/", parts);
    }

    private static MalformedContentException escapes(String name) {
        return new MalformedContentException("archive entry \"" + name + "\" escapes the archive (absolute path or"
                + " '..' component)");
    }
}
