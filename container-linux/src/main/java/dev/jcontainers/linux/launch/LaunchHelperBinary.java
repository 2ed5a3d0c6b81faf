package dev.jcontainers.linux.launch;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import dev.jcontainers.api.StorageException;
import dev.jcontainers.oci.store.AtomicFiles;

/**
 * The {@code jc-launch} binary built into this jar, extracted to {@code <cacheDir>/jc-launch-<sha256 prefix>}.
 * The name is derived from the content, so different library versions never overwrite each other's helper;
 * an existing file is used only when its bytes equal the jar's, otherwise it is replaced.
 * The file is written to a temporary name, synced, made read-and-execute only (0555), then renamed into place.
 *
 * <p>Comparing 0.9 MB with the jar's (inflated) copy took a cold JVM ~8 ms on every engine's first launch, so a
 * comparison that succeeds leaves a stamp, {@code jc-launch-<prefix>.verified}, naming the file it vouches for:
 * device, inode, size, mode, owner and change time. Later starts compare that stamp with one {@code stat} of the
 * helper. Nothing short of root resetting the clock changes a file's contents, mode or owner without moving its
 * change time, and replacing it changes its inode, so a matching stamp means the very bytes that were compared.
 * A stamp can be forged by whoever can write the directory; they could as well swap the helper between any check
 * and its {@code exec}, so the byte comparison never guarded against them: it guards against accidents (a torn
 * or foreign file), and those cannot keep the stamp's identity. The kernel keeps change times at a clock tick's
 * granularity, so, as git does for its index, a file changed less than {@link #SETTLED} ago gets no stamp: a
 * change within the same tick would not show.
 */
public final class LaunchHelperBinary {
    private static final Map<Path, Path> VERIFIED = new ConcurrentHashMap<>();
    private static final String IDENTITY = "unix:dev,ino,size,mode,uid,ctime";
    /** How long ago the helper must have changed for its identity to be stamped: far above a clock tick. */
    static final Duration SETTLED = Duration.ofSeconds(1);

    private LaunchHelperBinary() {
    }

    /** The classpath resource holding the helper for this machine's architecture. */
    public static String resourceName() {
        String arch = switch (System.getProperty("os.arch")) {
            case "amd64", "x86_64" -> "x86_64";
            case "aarch64", "arm64" -> "aarch64";
            default -> System.getProperty("os.arch");
        };
        return "/native/linux-" + arch + "/jc-launch";
    }

    /** The helper's bytes as built into the jar. */
    public static byte[] bytes() {
        try (InputStream in = LaunchHelperBinary.class.getResourceAsStream(resourceName())) {
            if (in == null) {
                throw new StorageException("the launch helper " + resourceName() + " is not in this build"
                        + " (unsupported architecture " + System.getProperty("os.arch") + "?)");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Extracts (once per cache directory and JVM) and verifies the helper; returns its path. */
    public static Path extract(Path cacheDir) {
        return VERIFIED.computeIfAbsent(cacheDir.toAbsolutePath().normalize(),
                dir -> extractVerified(dir, Clock.systemUTC()));
    }

    /** The helper's SHA-256 as the build recorded it beside the helper, or computed where it did not. */
    static String digest() {
        try (InputStream in = LaunchHelperBinary.class.getResourceAsStream(resourceName() + ".sha256")) {
            if (in != null) {
                String recorded = new String(in.readAllBytes(), StandardCharsets.US_ASCII).strip();
                if (recorded.matches("[0-9a-f]{64}")) {
                    return recorded;
                }
            }
        } catch (IOException e) {
            // computed below
        }
        return sha256(bytes());
    }

    static Path extractVerified(Path cacheDir, Clock clock) {
        String name = "jc-launch-" + digest().substring(0, 16); // names the file; its bytes are checked below
        Path target = cacheDir.resolve(name);
        Path stamp = cacheDir.resolve(name + ".verified");
        try {
            Files.createDirectories(cacheDir);
            Optional<Identity> identity = identity(target);
            if (identity.isPresent() && readStamp(stamp).equals(Optional.of(identity.get().stamp()))) {
                return target;
            }
            byte[] bytes = bytes();
            // byte equality with the jar's copy: as strict as its digest, and a cold JVM hashes 0.9 MB slowly
            if (!(identity.isPresent() && Arrays.equals(Files.readAllBytes(target), bytes)
                    && Files.isExecutable(target))) {
                // synced before the rename, or a crash could leave the name on a torn file
                AtomicFiles.write(target, bytes, cacheDir, ".jc-launch-",
                        PosixFilePermissions.fromString("r-xr-xr-x"));
                if (!Arrays.equals(Files.readAllBytes(target), bytes)) {
                    throw new StorageException("launch helper " + target + " does not match the jar's copy");
                }
            }
            writeStamp(target, stamp, clock);
            return target;
        } catch (IOException e) {
            throw new StorageException("cannot extract the launch helper to " + cacheDir + ": " + e.getMessage(), e);
        }
    }

    /** What a stamp records of the helper, and when it last changed. */
    record Identity(String stamp, Instant changed) {
    }

    /** The helper's identity; empty when it is missing or not a regular file. */
    static Optional<Identity> identity(Path helper) throws IOException {
        Map<String, Object> a;
        try {
            a = Files.readAttributes(helper, IDENTITY, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        if (!Files.isRegularFile(helper, LinkOption.NOFOLLOW_LINKS)) {
            return Optional.empty();
        }
        FileTime ctime = (FileTime) a.get("ctime");
        return Optional.of(new Identity(a.get("dev") + " " + a.get("ino") + " " + a.get("size") + " "
                + Integer.toOctalString((Integer) a.get("mode")) + " " + a.get("uid") + " "
                + ctime.to(TimeUnit.NANOSECONDS), ctime.toInstant()));
    }

    private static Optional<String> readStamp(Path stamp) {
        try {
            return Optional.of(Files.readString(stamp).strip());
        } catch (IOException e) {
            return Optional.empty(); // none yet, or unreadable: the bytes are compared
        }
    }

    /**
     * Records the verified helper's identity, after syncing it: a stamp must not outlive a crash that loses the
     * helper's bytes but keeps its inode. Best effort: without a stamp the next start compares the bytes again.
     */
    private static void writeStamp(Path helper, Path stamp, Clock clock) {
        try {
            try (FileChannel ch = FileChannel.open(helper, StandardOpenOption.READ)) {
                ch.force(true);
            }
            Optional<Identity> identity = identity(helper);
            if (identity.isEmpty() || identity.get().changed().isAfter(clock.instant().minus(SETTLED))) {
                Files.deleteIfExists(stamp); // too fresh to vouch for: compared again at the next start
                return;
            }
            AtomicFiles.writeUnsynced(stamp, (identity.get().stamp() + "\n").getBytes(StandardCharsets.US_ASCII),
                    stamp.getParent(), ".jc-launch-");
        } catch (IOException | StorageException e) {
            // read-only or full: verified again next time
        }
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
