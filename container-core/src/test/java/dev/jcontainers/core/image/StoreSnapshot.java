package dev.jcontainers.core.image;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/** Every file under a root with its size and content hash: "the store is exactly as it was". */
final class StoreSnapshot {
    private StoreSnapshot() {
    }

    static Map<String, String> of(Path root) {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> files = Files.walk(root)) {
            files.filter(Files::isRegularFile)
                    .filter(p -> !root.relativize(p).startsWith("locks"))
                    .forEach(p -> {
                        try {
                            byte[] bytes = Files.readAllBytes(p);
                            out.put(root.relativize(p).toString(),
                                    bytes.length + ":" + dev.jcontainers.oci.image.Digest.sha256(bytes).hex());
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    static long blobCount(Path root) {
        try (Stream<Path> files = Files.list(root.resolve("blobs/sha256"))) {
            return files.count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
