package dev.jcontainers.oci.layer;

import dev.jcontainers.api.UnsafeLayerEntryException;

import java.util.ArrayList;
import java.util.List;

/** Splits tar entry names into path components the way a safe extractor must read them. */
final class EntryNames {
    private EntryNames() {
    }

    /**
     * The components of {@code name}: leading slashes are dropped (as tar does for absolute names), empty
     * and {@code .} components vanish, and any {@code ..} is refused outright rather than resolved, so no
     * name can climb, not even within the layer. An empty list names the layer root.
     *
     * @param entry the entry being checked, for the error message (a hardlink's own name, for its target)
     */
    static List<String> components(String name, String entry) {
        if (name.indexOf('\0') >= 0) {
            throw new UnsafeLayerEntryException(entry, "name contains a NUL byte");
        }
        List<String> parts = new ArrayList<>();
        for (String part : name.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                throw new UnsafeLayerEntryException(entry, "\"..\" in path \"" + name + "\"");
            }
            parts.add(part);
        }
        return parts;
    }
}
