package dev.jcontainers.oci.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Test helpers that look at a store directory from the outside. */
final class StoreFiles {
    private StoreFiles() {
    }

    /** Every file and directory below {@code root} with its size, sorted: a snapshot to compare. */
    static List<String> tree(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            return paths.map(p -> root.relativize(p) + (Files.isRegularFile(p) ? " " + size(p) : "/"))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<Path> tempFiles(OciStore store) {
        try (Stream<Path> files = Files.list(store.root().resolve("tmp"))) {
            return files.toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long size(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
