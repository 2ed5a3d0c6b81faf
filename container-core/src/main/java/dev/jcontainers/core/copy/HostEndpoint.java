package dev.jcontainers.core.copy;

import dev.jcontainers.linux.fs.RootedTree;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.LongUnaryOperator;

/**
 * The host's side of a copy. Sources are the caller's own paths; an extraction is confined to its
 * destination directory, so a container's archive (its symlinks included) cannot write anywhere else.
 */
public final class HostEndpoint implements CopyEndpoint {
    @Override
    public Optional<Boolean> isDirectory(String path, boolean followLast) {
        Path p = Path.of(path);
        LinkOption[] opts = followLast ? new LinkOption[0] : new LinkOption[] {LinkOption.NOFOLLOW_LINKS};
        return Files.exists(p, opts) ? Optional.of(Files.isDirectory(p, opts)) : Optional.empty();
    }

    @Override
    public void archive(String path, boolean followLast, String rebase, OutputStream out) throws IOException {
        try (RootedTree root = RootedTree.open(Path.of("/"))) {
            TreeArchiver.write(root, Path.of(path).toAbsolutePath().toString(), followLast, rebase, out,
                    LongUnaryOperator.identity(), LongUnaryOperator.identity());
        }
    }

    @Override
    public void extract(String dir, InputStream tar, Ownership owner) throws IOException {
        try (RootedTree into = RootedTree.open(Path.of(dir))) {
            TreeExtractor.extract(into, "/", tar, owner);
        }
    }

    @Override
    public String describe(String path) {
        return path;
    }
}
