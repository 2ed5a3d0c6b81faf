package dev.jcontainers.oci.layer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What lies outside a layer directory: the parent's listing (no layer, no temp dir may remain after a
 * failure) and everything under the parent's other entries, down to inode and ctime. The parent's own
 * mtime is not compared: the unpacker's temporary sibling legitimately comes and goes there.
 */
record Outside(Path parent, List<String> listing, Map<String, Map<String, TreeSnapshot.Node>> siblings) {

    static Outside snapshot(Path parent) {
        List<String> listing = list(parent);
        Map<String, Map<String, TreeSnapshot.Node>> siblings = new java.util.TreeMap<>();
        for (String name : listing) {
            siblings.put(name, TreeSnapshot.exact(parent.resolve(name)));
        }
        return new Outside(parent, listing, siblings);
    }

    void assertUnchanged() {
        Outside now = snapshot(parent);
        assertThat(now.listing()).as("entries of the layer's parent directory").isEqualTo(listing);
        assertThat(now.siblings()).as("trees beside the layer").isEqualTo(siblings);
    }

    private static List<String> list(Path dir) {
        try (Stream<Path> children = Files.list(dir)) {
            return children.map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
