package dev.jcontainers.linux.cgroup;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * The few file operations cgroupfs needs. The seam lets the v2 logic be tested against a fake tree in
 * a temp dir (which must imitate what the kernel does on mkdir) while the host implementation stays a
 * thin wrapper over plain file I/O.
 */
interface CgroupFs {

    CgroupFs HOST = new Host();

    boolean exists(Path file);

    /** The file's content; cgroupfs files are small and read in one go. */
    String read(Path file) throws IOException;

    /** Writes {@code value} to an existing control file in one {@code write(2)}, as {@code echo > file} does. */
    void write(Path file, String value) throws IOException;

    /** Creates one directory; false if it existed already. */
    boolean mkdir(Path dir) throws IOException;

    /** Removes a cgroup directory ({@code rmdir(2)}: the kernel drops its control files with it). */
    void rmdir(Path dir) throws IOException;

    /** Renames a cgroup directory ({@code rename(2)}; cgroup v1 only, within one parent). */
    void rename(Path from, Path to) throws IOException;

    /** True when an exception from {@link #rmdir} is the kernel's EBUSY (cgroup still in use). */
    static boolean isBusy(IOException e) {
        return e instanceof FileSystemException fse && fse.getReason() != null
                && fse.getReason().contains("Device or resource busy");
    }

    final class Host implements CgroupFs {
        private Host() {
        }

        @Override
        public boolean exists(Path file) {
            return Files.exists(file);
        }

        @Override
        public String read(Path file) throws IOException {
            return Files.readString(file, StandardCharsets.US_ASCII);
        }

        @Override
        public void write(Path file, String value) throws IOException {
            // No CREATE: a misspelt or unsupported control file must fail, not appear as a plain file.
            Files.write(file, value.getBytes(StandardCharsets.US_ASCII),
                    StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
        }

        @Override
        public boolean mkdir(Path dir) throws IOException {
            try {
                Files.createDirectory(dir);
                return true;
            } catch (FileAlreadyExistsException e) {
                return false;
            }
        }

        @Override
        public void rename(Path from, Path to) throws IOException {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        }

        @Override
        public void rmdir(Path dir) throws IOException {
            try {
                Files.delete(dir);
            } catch (NoSuchFileException e) {
                // already gone: removal is idempotent
            }
        }
    }
}
