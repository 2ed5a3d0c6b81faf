package dev.jcontainers.testkit;

import java.util.ArrayList;
import java.util.List;

/** The entries of one layer tar, in the order they are written. */
final class LayerContent {

    sealed interface Entry permits Directory, RegularFile, RandomFile, Symlink {
        String path();
    }

    record Directory(String path, int mode) implements Entry {
    }

    record RegularFile(String path, int mode, byte[] content) implements Entry {
    }

    /** A file of pseudo-random (incompressible) bytes, generated while the tar is written. */
    record RandomFile(String path, int mode, long size, long seed) implements Entry {
    }

    record Symlink(String path, String target) implements Entry {
    }

    private final List<Entry> entries = new ArrayList<>();
    private final String createdBy;

    LayerContent(String createdBy) {
        this.createdBy = createdBy;
    }

    String createdBy() {
        return createdBy;
    }

    List<Entry> entries() {
        return entries;
    }

    LayerContent dir(String path) {
        return dir(path, 0755);
    }

    LayerContent dir(String path, int mode) {
        entries.add(new Directory(path, mode));
        return this;
    }

    LayerContent file(String path, int mode, byte[] content) {
        entries.add(new RegularFile(path, mode, content));
        return this;
    }

    LayerContent file(String path, String content) {
        return file(path, 0644, content.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    LayerContent randomFile(String path, long size, long seed) {
        entries.add(new RandomFile(path, 0644, size, seed));
        return this;
    }

    LayerContent symlink(String path, String target) {
        entries.add(new Symlink(path, target));
        return this;
    }
}
