package dev.jcontainers.linux.launch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

import dev.jcontainers.api.ContainerException;

/**
 * What the monitor of a container with a {@link LaunchPlan.Restart} policy records in {@code restart.json} at
 * each start: how many restarts it has made and the pid it runs now, 0 while it waits to restart. The file
 * {@code stop}, which the JVM leaves in the same directory, tells the monitor to restart no more.
 */
public record RestartRecord(int restartCount, long pid) {
    public static final String FILE = "restart.json";
    public static final String STOP_FILE = "stop";

    /** True while the monitor waits before starting the process again. */
    public boolean restarting() {
        return pid == 0;
    }

    public static Optional<RestartRecord> read(Path stateDir) {
        try {
            String text = Files.readString(stateDir.resolve(FILE));
            if (text.isEmpty()) { // not fsynced: a host crash can leave it empty
                return Optional.empty();
            }
            MonitorRecord r = MonitorRecord.parse(text);
            return Optional.of(new RestartRecord(Math.toIntExact(r.number("restartCount")), r.number("pid")));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException | RuntimeException e) {
            throw new ContainerException("unreadable restart record in " + stateDir + ": " + e.getMessage(), e);
        }
    }

    /** Tells the monitor in {@code stateDir} to restart no more: a stop or kill by the user is final. */
    public static void requestStop(Path stateDir) {
        try {
            Files.writeString(stateDir.resolve(STOP_FILE), "");
        } catch (IOException e) {
            throw new ContainerException("cannot write " + stateDir.resolve(STOP_FILE) + ": " + e.getMessage(), e);
        }
    }

    /** Removes what a previous run left, before the container is started again. */
    public static void clear(Path stateDir) {
        try {
            Files.deleteIfExists(stateDir.resolve(FILE));
            Files.deleteIfExists(stateDir.resolve(STOP_FILE));
        } catch (IOException e) {
            throw new ContainerException("cannot clear the restart state in " + stateDir + ": " + e.getMessage(), e);
        }
    }
}
