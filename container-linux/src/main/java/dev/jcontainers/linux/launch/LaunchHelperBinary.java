package dev.jcontainers.linux.launch;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.jcontainers.api.StorageException;

/**
 * The {@code jc-launch} binary built into this jar, extracted to {@code <cacheDir>/jc-launch-<sha256 prefix>}.
 * The name is derived from the content, so different library versions never overwrite each other's helper;
 * an existing file is used only when its bytes equal the jar's, otherwise it is replaced.
 * The file is written to a temporary name, made read-and-execute only (0555), then renamed into place.
 */
public final class LaunchHelperBinary {
    private static final Map<Path, Path> VERIFIED = new ConcurrentHashMap<>();

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
        return VERIFIED.computeIfAbsent(cacheDir.toAbsolutePath().normalize(), LaunchHelperBinary::extractVerified);
    }

    /** The helper's SHA-256 as the build recorded it beside the helper, or computed where it did not. */
    static String digest(byte[] bytes) {
        try (InputStream in = LaunchHelperBinary.class.getResourceAsStream(resourceName() + ".sha256")) {
            if (in != null) {
                String recorded = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII).strip();
                if (recorded.matches("[0-9a-f]{64}")) {
                    return recorded;
                }
            }
        } catch (IOException e) {
            // computed below
        }
        return sha256(bytes);
    }

    private static Path extractVerified(Path cacheDir) {
        byte[] bytes = bytes();
        String digest = digest(bytes); // names the file; what is run is checked byte for byte below
        Path target = cacheDir.resolve("jc-launch-" + digest.substring(0, 16));
        try {
            Files.createDirectories(cacheDir);
            // byte equality with the jar's copy: as strict as its digest, and a cold JVM hashes 0.9 MB slowly
            if (Files.isRegularFile(target) && Arrays.equals(Files.readAllBytes(target), bytes)
                    && Files.isExecutable(target)) {
                return target;
            }
            Path tmp = Files.createTempFile(cacheDir, ".jc-launch-", ".tmp");
            try {
                Files.write(tmp, bytes);
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("r-xr-xr-x"));
                try {
                    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    throw new StorageException("cannot place the launch helper atomically in " + cacheDir, e);
                }
            } finally {
                Files.deleteIfExists(tmp);
            }
            if (!Arrays.equals(Files.readAllBytes(target), bytes)) {
                throw new StorageException("launch helper " + target + " does not match its digest " + digest);
            }
            return target;
        } catch (IOException e) {
            throw new StorageException("cannot extract the launch helper to " + cacheDir + ": " + e.getMessage(), e);
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
